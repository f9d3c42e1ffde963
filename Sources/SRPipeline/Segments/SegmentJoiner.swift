import Foundation
import SRMedia

/// The last step of a resumable run: muxes the finished segments' video packets, in order, with
/// every stream-copied input stream (read again from the input, exactly as a single pass copies
/// them) into the output's temporary file.
///
/// Video and copied packets are merged by decoding time, so that the file is interleaved as a
/// single pass writes it. Each segment's encoder started afresh, so a segment's first decoding
/// timestamps can fall on or below the previous segment's last: they are moved up by the least
/// amount that keeps them increasing (never past the packet's own pts).
///
/// Threading: runs on the calling thread.
struct SegmentJoiner {
    let scheduler: VideoScheduler
    let folder: WorkFolder
    let manifest: SegmentManifest

    /// Writes the output (still under its temporary name); returns true when the input ended early.
    func run() throws -> Bool {
        let input = try Demuxer(path: scheduler.config.input)
        let muxer = scheduler.muxer
        let encoder = scheduler.encoder  // its codec parameters; the segments hold the packets
        let headers = SegmentWriter.headersHash(encoder)
        if let odd = manifest.done.first(where: { $0.headers != headers }) {
            throw PipelineError.resumeMismatch(output: scheduler.config.output, folder: folder.path,
                                               why: "segment \(odd.index + 1) was encoded with other codec headers")
        }
        try muxer.start(encoder: encoder, input: input, firstFrame: scheduler.firstFrame)
        let videoTB = input.videoStream.timeBase
        let timeBases = Dictionary(uniqueKeysWithValues: input.streams.map { ($0.index, $0.timeBase) })
        var video = SegmentPackets(folder: folder, done: manifest.done)
        var lastDTS = Int64.min
        var written = 0
        func writeVideo(until seconds: Double) throws {
            while let p = try video.peek(), Self.seconds(p.dts ?? p.pts, videoTB) <= seconds {
                video.pop()
                if let d = p.dts, lastDTS != .min, d <= lastDTS, (p.pts ?? .max) > lastDTS { p.setDTS(lastDTS + 1) }
                lastDTS = p.dts ?? lastDTS
                try muxer.writeVideo(p)
                written += 1
                try FaultPoint.reach("join:\(written)", path: muxer.temporaryPath)
            }
        }
        let kept = muxer.keptStreams
        while let p = input.read() {
            if scheduler.cancel.isCancelled { throw PipelineError.interrupted }
            guard !input.isVideo(p), kept.contains(p.streamIndex) else { continue }
            try writeVideo(until: Self.seconds(p.dts ?? p.pts, timeBases[p.streamIndex] ?? videoTB))
            try muxer.writeCopied(p)
        }
        try writeVideo(until: .infinity)
        try muxer.close()
        return input.truncated || VideoScheduler.endsEarly(input)
    }

    /// A timestamp in seconds (unknown ones sort first).
    static func seconds(_ t: Int64?, _ tb: Rational) -> Double {
        guard let t else { return -.infinity }
        return Double(t) * Double(tb.num) / Double(max(1, tb.den))
    }
}

/// The finished segments' packets in order, one segment file in memory at a time.
struct SegmentPackets {
    let folder: WorkFolder
    var pending: ArraySlice<SegmentManifest.DoneSegment>
    private var packets: [MediaPacket] = []
    private var at = 0

    init(folder: WorkFolder, done: [SegmentManifest.DoneSegment]) { self.folder = folder; pending = done[...] }

    /// The next packet without taking it (loads the next segment file when needed).
    mutating func peek() throws -> MediaPacket? {
        while at == packets.count {
            guard let d = pending.popFirst() else { return nil }
            var loaded: [MediaPacket] = []
            try PacketFile.read(folder.segmentPath(d.index)) { loaded.append($0) }
            packets = loaded
            at = 0
        }
        return packets[at]
    }

    /// Takes the packet `peek` returned.
    mutating func pop() { at += 1 }
}
