import Foundation
import SRMedia
import SRTensor

/// `upscale frames DIR -o out.mp4`: upscales the frames in natural order and encodes them at a
/// fixed frame rate (tagged BT.709). One frame at a time, every core on the tiled engine.
enum FramesToVideo {
    static func run(_ config: FramesJobConfig, inputs: [String], cancel: CancelFlag,
                    notes: @escaping @Sendable (String) -> Void) throws -> FramesJobResult {
        try OutputGuard.check(input: config.inputDir, output: config.output, overwrite: config.overwrite)
        var resolved = config
        resolved.encoder = try config.encoder.forContainer(path: config.output)  // a codec the container cannot hold fails first
        let config = resolved
        guard config.fps > 0, config.fps <= 1000 else {
            throw PipelineError.invalidOption("--fps must be between 0 and 1000 (got \(config.fps))")
        }
        let start = Date()
        let still = StillImageRunner(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                  tiling: config.tiling, reuse: config.reuse, notes: notes)
        let first = try ImageFile.read(path: inputs[0])
        let plan = try still.plan(width: first.width, height: first.height)
        try config.encoder.checkSize(width: plan.outputWidth + plan.outputWidth % 2, height: plan.outputHeight + plan.outputHeight % 2)
        let rate = FramesToVideo.rational(config.fps)
        let color = ColorDescription.bt709
        let source = ColorConverter.pixelFormat(named: first.bitDepth > 8 ? "rgb48le" : "rgb24") ?? 0
        let muxer = try Muxer(path: config.output, input: nil, notes: notes)
        muxer.faststart = config.faststart
        let encoder = try VideoEncoder(settings: config.encoder, width: plan.outputWidth, height: plan.outputHeight,
                                       inputPixelFormat: source, timeBase: Rational(rate.den, rate.num), frameRate: rate,
                                       aspect: Rational(1, 1), color: color, globalHeader: muxer.needsGlobalHeader,
                                       hdrParams: nil, threads: 2, notes: notes)
        try muxer.start(encoder: encoder, input: nil, firstFrame: nil)
        let progress = ProgressReporter(mode: config.progress, total: inputs.count)
        let converter = ColorConverter()
        do {
            for (i, path) in inputs.enumerated() {
                if cancel.isCancelled { throw PipelineError.interrupted }
                let image = i == 0 ? first : try ImageFile.read(path: path)
                guard image.width == first.width && image.height == first.height else {
                    throw PipelineError.invalidOption("'\(path)' is \(image.width)x\(image.height), the first frame "
                                                      + "\(first.width)x\(first.height): a video needs one size")
                }
                let up = try still.upscale(image)
                let frame = try converter.frame(from: up.pixels, format: encoder.pixelFormat, width: encoder.width,
                                                height: encoder.height, color: color, pts: Int64(i))
                for p in try encoder.encode(frame) { try muxer.writeVideo(p) }
                progress.update(done: i + 1)
            }
            for p in try encoder.encode(nil) { try muxer.writeVideo(p) }
            try muxer.commit(replace: config.overwrite)
        } catch {
            muxer.abort()
            throw error
        }
        progress.finish(done: inputs.count)
        return FramesJobResult(processed: inputs.count, skipped: 0, seconds: Date().timeIntervalSince(start), output: config.output)
    }

    /// A frame rate as a fraction: whole numbers exactly, NTSC rates as n*1000/1001, else millis.
    static func rational(_ fps: Double) -> Rational {
        if fps == fps.rounded() { return Rational(Int(fps), 1) }
        let ntsc = fps * 1001 / 1000
        if abs(ntsc - ntsc.rounded()) < 1e-3 { return Rational(Int(ntsc.rounded()) * 1000, 1001) }
        return Rational(Int((fps * 1000).rounded()), 1000)
    }
}
