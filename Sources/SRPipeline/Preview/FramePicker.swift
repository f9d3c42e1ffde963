import Foundation
import SRMedia
import SRTensor

/// One frame taken from a video (at a time or an index) or an image, as RGB in 0...1.
public struct PickedFrame: Sendable {
    /// `1 x 3 x H x W`.
    public var rgb: Tensor
    /// Bits per component of the source (8, 10, 16...).
    public var bitDepth: Int
    /// Where it came from, for messages: `frame 37 at 1.48 s` or `image`.
    public var origin: String
    /// Frames in the whole video (nil for an image or when unknown).
    public var videoFrames: Int?
}

/// Decodes single frames for `preview` and the run estimates.
public enum FramePicker {
    /// The frame of `path` at `seconds` from the start (seeking to the keyframe before it), or
    /// the `index`-th frame (0-based, decoded from the start), or the middle one when neither is
    /// given. An image path gives the image.
    public static func pick(_ path: String, at seconds: Double? = nil, index: Int? = nil) throws -> PickedFrame {
        let frames = try run(path, at: seconds, index: index, count: 1)
        guard let first = frames.first else { throw PipelineError.invalidOption("no frame decodes in '\(path)'") }
        return first
    }

    /// `count` consecutive frames from where `pick` would take one (fewer at the end of the file).
    public static func run(_ path: String, at seconds: Double? = nil, index: Int? = nil, count: Int) throws -> [PickedFrame] {
        guard FileManager.default.fileExists(atPath: path) else { throw PipelineError.inputMissing(path) }
        if ModelsJob.isImagePath(path) {
            let image = try ImageFile.read(path: path)
            return [PickedFrame(rgb: image.pixels, bitDepth: image.bitDepth, origin: "image", videoFrames: nil)]
        }
        let demuxer = try Demuxer(path: path)
        let frames = demuxer.estimatedVideoFrames
        if let index {
            guard index >= 0 else { throw PipelineError.invalidOption("--frame must be 0 or more (got \(index))") }
            let got = try decode(demuxer, frames: frames, count: count) { n, _ in n >= index }
            guard !got.isEmpty else {
                throw PipelineError.invalidOption("--frame \(index): '\(path)' has \(frames.map(String.init) ?? "fewer") frames")
            }
            return got
        }
        let length = demuxer.videoStream.duration ?? demuxer.duration ?? 0
        let target = seconds ?? length / 2
        guard target >= 0 else { throw PipelineError.invalidOption("--at must be 0 or more seconds (got \(target))") }
        if let s = seconds, length > 0, s > length {
            throw PipelineError.invalidOption("--at \(s): '\(path)' is \(String(format: "%.2f", length)) s long")
        }
        let tb = demuxer.videoStream.timeBase, start = demuxer.videoStream.startTime ?? 0
        if target > 0, tb.num > 0 {
            try? demuxer.seekVideo(to: Int64(((target + start) * Double(tb.den) / Double(tb.num)).rounded(.down)))
        }
        // The first frame whose time reaches the target (half a frame early counts); the last
        // one when the file ends first.
        let half = 0.5 / max(1, demuxer.videoStream.averageFrameRate.value)
        let got = try decode(demuxer, frames: frames, count: count, orLast: true, counted: target == 0) { _, time in
            time.map { $0 + half >= target } ?? true
        }
        guard !got.isEmpty else { throw PipelineError.invalidOption("no frame decodes in '\(path)'") }
        return got
    }

    /// Decodes from the current position until `take(number, seconds)` accepts a frame, and
    /// returns it and the next ones, `count` in all (with `orLast`, the last frame when the file
    /// ends before any is accepted).
    private static func decode(_ demuxer: Demuxer, frames: Int?, count: Int, orLast: Bool = false, counted: Bool = true,
                               take: (Int, Double?) -> Bool) throws -> [PickedFrame] {
        let decoder = try VideoDecoder(demuxer: demuxer)
        let tb = demuxer.videoStream.timeBase, start = demuxer.videoStream.startTime ?? 0
        func picked(_ f: MediaFrame, _ n: Int) throws -> PickedFrame {
            let time = f.pts.map { Double($0) * Double(tb.num) / Double(max(1, tb.den)) - start }
            return PickedFrame(rgb: try ColorConverter().rgb(from: f, color: demuxer.videoColor), bitDepth: demuxer.videoBitDepth,
                               origin: (counted ? "frame \(n)" : "frame") + (time.map { String(format: " at %.2f s", $0) } ?? ""),
                               videoFrames: frames)
        }
        var n = 0, last: (MediaFrame, Int)?, out: [PickedFrame] = []
        while true {
            let packet = demuxer.read()
            if let p = packet, p.streamIndex != demuxer.videoStream.index { continue }
            for f in try decoder.decode(packet) {
                let time = f.pts.map { Double($0) * Double(tb.num) / Double(max(1, tb.den)) - start }
                if !out.isEmpty || take(n, time) { out.append(try picked(f, n)) }
                if out.count == count { return out }
                last = (f, n)
                n += 1
            }
            if packet == nil {
                if out.isEmpty, orLast, let (f, k) = last { return [try picked(f, k)] }
                return out
            }
        }
    }
}
