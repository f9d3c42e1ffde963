import Foundation
import SRMedia
import SRTensor

/// Typed configuration of `upscale IN.mp4 -o DIR/`: every decoded frame upscaled to an image.
public struct VideoFramesConfig: Sendable {
    public var input: String
    /// The folder to write `00000001.png`, `00000002.png`, ... into (created when missing).
    public var outputDir: String
    public var model: String?
    public var scale: Int?
    public var width: Int?, height: Int?
    /// Image extension (default png).
    public var format = "png"
    /// Redo frames whose image exists (otherwise they are skipped: a re-run resumes).
    public var overwrite = false
    public var tiling = TileOptions()
    public var strict = false
    public var progress: ProgressMode = .auto
    /// Temporal reuse between consecutive frames.
    public var reuse = ReuseOptions()

    /// Creates a configuration.
    public init(input: String, outputDir: String) { self.input = input; self.outputDir = outputDir }
}

/// Writes a video's frames, upscaled, as numbered images: 8-bit input gives 8-bit images,
/// deeper input 16-bit PNG/TIFF. Frames are numbered from 1 in presentation order.
public enum VideoToFrames {
    /// Runs the job; returns frames written and skipped.
    public static func run(_ config: VideoFramesConfig, cancel: CancelFlag = CancelFlag(),
                           notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> FramesJobResult {
        guard ImageFile.canWrite(extension: config.format) else {
            throw PipelineError.invalidOption("--format: cannot write '\(config.format)' images (png, jpg, webp, tiff, bmp)")
        }
        guard FileManager.default.fileExists(atPath: config.input) else { throw PipelineError.inputMissing(config.input) }
        let demuxer = try Demuxer(path: config.input)
        let decoder = try VideoDecoder(demuxer: demuxer, threads: 2, strict: config.strict)
        let (w, h) = demuxer.videoSize
        let still = StillImageRunner(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                  tiling: config.tiling, reuse: config.reuse, notes: notes)
        _ = try still.plan(width: w, height: h)
        try FrameFolder.make(config.outputDir)
        let settings = "model \(still.model ?? "default"), scale \(config.scale.map(String.init) ?? "default"), "
            + "size \(config.width.map(String.init) ?? "-")x\(config.height.map(String.init) ?? "-"), format \(config.format)"
        let images = try FrameFolder.list(config.outputDir)
        let numbered = images.filter { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension.count == 8
            && (($0 as NSString).lastPathComponent as NSString).deletingPathExtension.allSatisfy(\.isNumber) }
        try FrameFolderOwner(input: config.input, settings: settings).claim(config.outputDir, images: images, stale: numbered,
                                                                         overwrite: config.overwrite)
        let depth = demuxer.videoBitDepth > 8 && ["png", "tif", "tiff"].contains(config.format.lowercased()) ? 16 : 8
        let color = demuxer.videoColor
        let converter = ColorConverter()
        let progress = ProgressReporter(mode: config.progress, total: demuxer.estimatedVideoFrames)
        let start = Date()
        var index = 0, written = 0, skipped = 0
        func handle(_ frames: [MediaFrame]) throws {
            for f in frames {
                if cancel.isCancelled { throw PipelineError.interruptedKeepingFrames(folder: config.outputDir) }
                index += 1
                let path = (config.outputDir as NSString).appendingPathComponent(String(format: "%08d.", index) + config.format)
                if !config.overwrite && FileManager.default.fileExists(atPath: path) { skipped += 1; continue }
                let rgb = try converter.rgb(from: f, color: color)
                let up = try still.upscale(RGBImage(pixels: rgb, bitDepth: depth))
                try ImageFile.write(up, to: path)
                written += 1
                progress.update(done: index)
            }
        }
        while let packet = demuxer.read() {
            if demuxer.isVideo(packet) { try handle(try decoder.decode(packet)) }
        }
        try handle(try decoder.decode(nil))
        guard index > 0 else { throw MediaError.noFrames(path: config.input) }
        progress.finish(done: index)
        if skipped > 0 { notes("note: \(skipped) frames already in '\(config.outputDir)': skipped (-y redoes them)") }
        if decoder.concealed > 0 { notes("warning: \(decoder.concealed) corrupt frames concealed by repeating the previous one") }
        return FramesJobResult(processed: written, skipped: skipped, seconds: Date().timeIntervalSince(start),
                               output: config.outputDir)
    }
}
