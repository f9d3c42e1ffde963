import Foundation
import SRMedia

/// One resumable piece of a video: the frames whose pts lie in `startPTS..<endPTS`.
public struct Segment: Codable, Sendable, Equatable {
    /// Position in the plan (0-based).
    public var index: Int
    /// First presentation timestamp of the segment (video time base).
    public var startPTS: Int64
    /// First pts of the next segment; nil for the last.
    public var endPTS: Int64?
    /// Decoding timestamp of the keyframe the segment starts at (where a resumed run seeks).
    public var seekDTS: Int64?
    /// Input video packets (frames) the segment covers.
    public var frames: Int

    /// True when `pts` belongs to this segment.
    func contains(_ pts: Int64) -> Bool { pts >= startPTS && endPTS.map { pts < $0 } ?? true }
}

/// Cuts a video stream into segments at closed-GOP keyframes.
///
/// A keyframe is a cut point only when no packet before it (in file order) is shown after it and
/// no packet after it is shown before it: then a decoder that starts there yields exactly the
/// frames from its pts on, the same pixels as one that decoded from the start, and no frame's
/// reordering window is split. Segments are at least `minimumSeconds` long (the last may be
/// shorter); a stream without usable cut points (missing timestamps, open GOPs) is one segment.
public enum SegmentPlan {
    /// Timing of one video packet, in file order.
    public struct PacketTiming: Sendable, Equatable {
        public var pts: Int64?, dts: Int64?, key: Bool
        /// Creates a timing.
        public init(pts: Int64?, dts: Int64?, key: Bool) { self.pts = pts; self.dts = dts; self.key = key }
    }

    /// Reads every video packet's timing of `path` (demuxing only, no decoding).
    public static func scan(_ path: String) throws -> (timings: [PacketTiming], timeBase: Rational) {
        let demuxer = try Demuxer(path: path)
        var out: [PacketTiming] = []
        while let p = demuxer.read() {
            if demuxer.isVideo(p) { out.append(PacketTiming(pts: p.pts, dts: p.dts, key: p.isKey)) }
        }
        return (out, demuxer.videoStream.timeBase)
    }

    /// The segments of a stream with these packet timings (see the type's rules).
    public static func cut(_ packets: [PacketTiming], timeBase: Rational, minimumSeconds: Double) -> [Segment] {
        let known = packets.compactMap(\.pts)
        guard let first = known.min() else { return [] }
        guard known.count == packets.count else {
            return [Segment(index: 0, startPTS: first, endPTS: nil, seekDTS: nil, frames: packets.count)]
        }
        let n = packets.count
        var suffixMin = [Int64](repeating: .max, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffixMin[i] = min(suffixMin[i + 1], known[i]) }
        let tb = timeBase.num > 0 && timeBase.den > 0 ? Double(timeBase.num) / Double(timeBase.den) : 1
        let minimum = Int64((minimumSeconds / tb).rounded(.up))
        var starts: [(pts: Int64, dts: Int64?)] = [(first, nil)]
        var prefixMax = Int64.min
        for i in 0..<n {
            let p = packets[i], pts = known[i]
            if i > 0, p.key, prefixMax < pts, suffixMin[i + 1] >= pts, pts - (starts.last?.pts ?? first) >= max(1, minimum) {
                starts.append((pts, p.dts))
            }
            prefixMax = max(prefixMax, pts)
        }
        var segments: [Segment] = []
        for (k, s) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].pts : nil
            let frames = known.filter { t in t >= s.pts && (end.map { t < $0 } ?? true) }.count
            segments.append(Segment(index: k, startPTS: s.pts, endPTS: end, seekDTS: s.dts, frames: frames))
        }
        return segments
    }
}
