import Foundation
import SRMedia

/// The post-run check that the output kept what the input had: video frame count, duration,
/// each kept stream's start time, and audio packet counts.
public enum MediaAudit {
    /// One difference between input and output.
    public struct Finding: Sendable, CustomStringConvertible {
        public var message: String
        /// False for differences explained by damaged input (reported, not fatal).
        public var fatal: Bool
        public var description: String { message }
    }

    /// Compares `input` with `output`; `droppedStreams` are input stream indexes the output left out
    /// on purpose; `damaged` relaxes the frame-count check for inputs with corrupt or missing data.
    public static func compare(input: MediaSummary, output: MediaSummary, droppedStreams: Set<Int> = [],
                               damaged: Bool = false) -> [Finding] {
        var findings: [Finding] = []
        guard let iv = input.video, let ov = output.video else {
            return [Finding(message: "the output has no video stream", fatal: true)]
        }
        if iv.packets != ov.packets {
            findings.append(Finding(message: "video frames: input \(iv.packets), output \(ov.packets)", fatal: !damaged))
        }
        let frame = frameDuration(iv)
        let tolerance = max(0.05, 1.5 * frame)
        let inEnd = input.streams.map(\.end).max() ?? input.duration
        let outEnd = output.streams.map(\.end).max() ?? output.duration
        if abs(inEnd - outEnd) > tolerance {
            findings.append(Finding(message: String(format: "duration: input ends at %.3f s, output at %.3f s", inEnd, outEnd),
                                    fatal: !damaged))
        }
        // Kept streams appear in the output in input order.
        let kept = input.streams.filter { !droppedStreams.contains($0.index) && $0.kind != .attachment }
        // mp4/mov writers add a text track holding the chapters (a `bin_data` data stream).
        let inputHasBinData = input.streams.contains { $0.codec == "bin_data" }
        let outStreams = output.streams.filter {
            $0.kind != .attachment && !($0.kind == .data && $0.codec == "bin_data" && !inputHasBinData && !output.chapters.isEmpty)
        }
        guard kept.count == outStreams.count else {
            findings.append(Finding(message: "streams: expected \(kept.count), output has \(outStreams.count)", fatal: true))
            return findings
        }
        for (i, o) in zip(kept, outStreams) {
            guard i.kind == o.kind else {
                findings.append(Finding(message: "stream #\(o.index) is \(o.kind.rawValue), expected \(i.kind.rawValue)", fatal: true))
                continue
            }
            // A converted subtitle track may begin with an empty cue at 0 (mov_text): no start check.
            let converted = i.kind == .subtitle && i.codec != o.codec
            // Packets that lost their timestamp in the output (Matroska reads a damaged AAC priming
            // packet back without one) are the earliest: the start is that of the first timed one.
            let lost = max(0, o.untimedPackets - i.untimedPackets)
            if lost > 0 {
                findings.append(Finding(message: "stream #\(o.index) (\(o.kind.rawValue)): \(lost) packet\(lost == 1 ? "" : "s") without a timestamp in the output",
                                        fatal: false))
            }
            if !converted, lost < i.times.count, let b = o.times.first {
                let a = i.times[lost]
                let tick = 1.0 / Double(max(1, min(i.timeBase.den, o.timeBase.den)))
                let startTolerance = max(0.0015, 2 * tick)
                if abs(a - b) > startTolerance {
                    findings.append(Finding(message: String(format: "stream #%d (%@) starts at %.4f s, input at %.4f s",
                                                            o.index, o.kind.rawValue, b, a), fatal: true))
                }
            }
            if i.kind == .audio && i.packets != o.packets {
                findings.append(Finding(message: "stream #\(o.index) audio packets: input \(i.packets), output \(o.packets)",
                                        fatal: !damaged))
            }
        }
        return findings
    }

    /// The typical frame interval of a video stream in seconds (median gap; 1/25 when unknown).
    static func frameDuration(_ s: MediaSummary.Stream) -> Double {
        guard s.times.count > 1 else { return 0.04 }
        let gaps = zip(s.times.dropFirst(), s.times).map { $0 - $1 }.sorted()
        return gaps[gaps.count / 2]
    }
}
