import Foundation
import SRMedia

/// The video side of a resumable run: encodes the frames of each segment with a fresh encoder
/// (so that every segment starts with an IDR frame and can be redone alone) into the segment's
/// packet file, and records each finished segment in the manifest.
///
/// Threading: used by the scheduler's writer thread only. Frames arrive in presentation order.
final class SegmentWriter {
    let folder: WorkFolder
    private(set) var manifest: SegmentManifest
    private var spare: VideoEncoder?
    private let makeEncoder: () throws -> VideoEncoder
    private let headers: String
    private let concealedSoFar: () -> Int
    private var current: Open?
    private var next: Int
    /// One past the last segment this writer encodes (shard runs stop early).
    private let end: Int
    /// Records a finished segment; nil: into `manifest` and its file (a resumable run).
    private let record: ((SegmentManifest.DoneSegment) throws -> Void)?
    /// Frames this run encodes at most, and frames finished before it (progress).
    let framesToDo: Int, framesResumed: Int

    private struct Open {
        let segment: Segment
        let file: PacketFile.Writer
        /// Opened at the segment's first frame (an empty segment needs none).
        var encoder: VideoEncoder?
        var frames = 0
        let concealedAtStart: Int
    }

    /// Writes the segments from `manifest.done.count` on. The first segment with frames gets
    /// `first` (fresh, opened to check the settings); later ones a new encoder from `makeEncoder`.
    /// `only` limits it to those segments (a shard: the first not yet done to the shard's last),
    /// each recorded through `record` instead of the manifest.
    init(folder: WorkFolder, manifest: SegmentManifest, first: VideoEncoder, makeEncoder: @escaping () throws -> VideoEncoder,
         concealedSoFar: @escaping () -> Int, only: Range<Int>? = nil, resumed: Int = 0,
         record: ((SegmentManifest.DoneSegment) throws -> Void)? = nil) {
        self.folder = folder; self.manifest = manifest; self.makeEncoder = makeEncoder; self.concealedSoFar = concealedSoFar
        spare = first
        headers = SegmentWriter.headersHash(first)
        let range = only ?? manifest.done.count..<manifest.segments.count
        next = range.lowerBound
        end = range.upperBound
        self.record = record
        framesToDo = manifest.segments[range].reduce(0) { $0 + $1.frames }
        framesResumed = only == nil ? manifest.done.reduce(0) { $0 + $1.frames } : resumed
    }

    /// The hash of the codec headers every segment's encoder writes.
    static func headersHash(_ encoder: VideoEncoder) -> String {
        var h = FNV1a()
        h.add(encoder.extradata)
        return h.hex
    }

    /// Encodes `frame` (presentation timestamp `pts`) into the segment that holds it, finishing
    /// the segments before it.
    func write(_ frame: MediaFrame, pts: Int64) throws {
        while current.map({ !$0.segment.contains(pts) }) ?? true {
            guard next < end || current != nil else { break }
            if current != nil { try finishCurrent() }
            guard next < end else { break }
            try open(manifest.segments[next])
        }
        guard var c = current else { return }  // a frame past the last segment cannot happen; drop it
        let encoder = try c.encoder ?? takeEncoder()
        c.encoder = encoder
        for p in try encoder.encode(frame) { try c.file.append(p) }
        c.frames += 1
        current = c
        try FaultPoint.reach("segment:\(c.segment.index):\(c.frames)", path: c.file.path)
    }

    /// Finishes the open segment and records every remaining one (empty when no frame reached it).
    func finish() throws {
        if current != nil { try finishCurrent() }
        while next < end {
            try open(manifest.segments[next])
            try finishCurrent()
        }
    }

    private func open(_ s: Segment) throws {
        let file = try PacketFile.Writer(path: folder.segmentPath(s.index))
        current = Open(segment: s, file: file, encoder: nil, concealedAtStart: concealedSoFar())
        next = s.index + 1
    }

    private func takeEncoder() throws -> VideoEncoder {
        if let e = spare { spare = nil; return e }
        return try makeEncoder()
    }

    private func finishCurrent() throws {
        guard let c = current else { return }
        if let e = c.encoder { for p in try e.encode(nil) { try c.file.append(p) } }
        try FaultPoint.reach("segment:\(c.segment.index):end", path: c.file.path)
        let summary = try c.file.finish()
        let done = SegmentManifest.DoneSegment(index: c.segment.index, frames: c.frames, concealed: concealedSoFar() - c.concealedAtStart,
                                               file: summary, headers: c.encoder.map(SegmentWriter.headersHash) ?? headers)
        current = nil
        if let record {
            try record(done)
        } else {
            manifest.done.append(done)
            try manifest.save(folder.manifestPath)
        }
        try FaultPoint.reach("done:\(c.segment.index)", path: folder.manifestPath)
    }
}
