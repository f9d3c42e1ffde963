import Foundation
import SRMedia
import SRTensor
import SRTiling

/// What a video run will do and cost, predicted before it starts (`--dry-run`, the first line
/// of a run, `--progress json`'s `estimate` event).
public struct RunEstimate: Sendable {
    /// The plan: passes, output size and codec, tiles, threads.
    public var plan: String, outputSize: (width: Int, height: Int), codec: String, tiles: String, threads: Int
    /// Frames in the input (nil when unknown) and frames still to do (resumed segments subtracted).
    public var frames: Int?, framesToDo: Int?
    /// Measured on sample frames: engine (model passes, with reuse) and encode seconds per frame,
    /// and the fixed cost of starting (opening the input, loading the model).
    public var engineSeconds: Double, encodeSeconds: Double, startSeconds: Double
    /// Cores the encoder shares with the engine (its time overlaps the engine's on the others).
    public var cores: Int
    /// Predicted peak memory of the run, in bytes.
    public var peakBytes: Int

    /// Predicted wall time of the frames still to do (nil when the frame count is unknown).
    /// The stages run at once: the engine uses every core, the encoder (about one core) the time
    /// the engine leaves, so a frame costs the engine's time plus the encoder's share of it.
    public var seconds: Double? {
        framesToDo.map { startSeconds + Double($0) * (engineSeconds + encodeSeconds / Double(max(1, cores))) }
    }

    /// The one-line summary: `plan: ... ; predicted 1 min 12 s for 1200 frames, peak 410 MiB`.
    public var line: String {
        let time = seconds.map { "about \(RunEstimate.duration($0))" } ?? "unknown (frame count unknown)"
        let todo = framesToDo.map { f in frames.map { $0 == f ? "\(f) frames" : "\(f) of \($0) frames still to do" } ?? "\(f) frames" } ?? "? frames"
        return "plan: \(plan) to \(outputSize.width)x\(outputSize.height) \(codec), \(tiles), \(threads) threads; "
            + "predicted \(time) for \(todo) (\(String(format: "%.1f", 1000 * engineSeconds)) ms engine + "
            + "\(String(format: "%.1f", 1000 * encodeSeconds)) ms encode per frame), peak memory about \(peakBytes >> 20) MiB"
    }

    /// The `--progress json` event: `{"event":"estimate","frames":..,"predicted_s":..,"peak_mib":..}`.
    public var json: String {
        "{\"event\":\"estimate\",\"plan\":\"\(plan)\",\"width\":\(outputSize.width),\"height\":\(outputSize.height),"
            + "\"frames\":\(frames.map(String.init) ?? "null"),\"frames_to_do\":\(framesToDo.map(String.init) ?? "null"),"
            + String(format: "\"engine_ms_per_frame\":%.1f,\"encode_ms_per_frame\":%.1f,", 1000 * engineSeconds, 1000 * encodeSeconds)
            + "\"predicted_s\":\(seconds.map { String(format: "%.1f", $0) } ?? "null"),\"peak_mib\":\(peakBytes >> 20)}"
    }

    /// `42.0 s`, `3 min 20 s`, `2 h 05 min`.
    public static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1f s", s) }
        if s < 3600 { return "\(Int(s) / 60) min \(String(format: "%02d", Int(s) % 60)) s" }
        return "\(Int(s) / 3600) h \(String(format: "%02d", Int(s) % 3600 / 60)) min"
    }
}

/// Predicts a video run by timing a few sample frames spread over the file.
public enum RunEstimator {
    /// Samples `samples` places of the input, `run` consecutive frames each, after two untimed
    /// warm-up frames. With temporal reuse the first frame of each place only fills the cache (a
    /// run computes a whole frame only at its start and at segment starts); the others are timed.
    /// Segments an earlier run finished are subtracted.
    public static func estimate(_ config: VideoJobConfig, samples: Int = 3, run: Int = 5, notes: (String) -> Void = { _ in }) throws -> RunEstimate {
        guard FileManager.default.fileExists(atPath: config.input) else { throw PipelineError.inputMissing(config.input) }
        try config.tiling.validate()
        try config.reuse.validate()
        // Segments an earlier run finished are not done again (their input is checked when the run starts).
        let resumedFrames = config.resume && !config.restart
            ? ((try? SegmentManifest.load(WorkFolder(output: config.output).manifestPath)) ?? nil).map { $0.done.reduce(0) { $0 + $1.frames } } ?? 0
            : 0
        let opened = Date()
        let demuxer = try Demuxer(path: config.input)
        let (w, h) = demuxer.videoSize
        let plan = try ScalePlan.make(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                      inputWidth: w, inputHeight: h, notes: notes)
        let runners = try plan.runners(tiling: config.tiling, notes: notes)
        let startSeconds = Date().timeIntervalSince(opened)
        let length = demuxer.videoStream.duration ?? demuxer.duration ?? 0
        var pairs: [[PickedFrame]] = []
        for k in 1...max(1, samples) {
            pairs.append(try FramePicker.run(config.input, at: length * Double(k) / Double(samples + 1), count: max(2, run)))
        }
        guard let warm = pairs.first?.first else { throw PipelineError.invalidOption("no frame decodes in '\(config.input)'") }
        for _ in 0..<2 { _ = try plan.apply(warm.rgb, runners: runners) }
        var engine: [Double] = [], outputs: [Tensor] = []
        for pair in pairs {
            let reuse = TemporalReuse(options: config.reuse)
            for (i, f) in pair.enumerated() {
                let t0 = Date()
                outputs.append(try reuse.apply(plan, f.rgb, runners: runners).output)
                if i > 0 || config.reuse.mode == .off { engine.append(Date().timeIntervalSince(t0)) }
            }
        }
        let encodeSeconds = try encodeCost(outputs, config: config, plan: plan, demuxer: demuxer)
        let frames = demuxer.estimatedVideoFrames
        let threads = config.tiling.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let tiles = runners.first.map { r in r.tile == 0 ? "whole frames" : "\(r.tile) px tiles (context \(r.pad))" } ?? "no model"
        return RunEstimate(plan: plan.summary, outputSize: (plan.outputWidth, plan.outputHeight), codec: config.encoder.codec,
                           tiles: tiles, threads: threads, frames: frames,
                           framesToDo: frames.map { max(0, $0 - resumedFrames) },
                           engineSeconds: engine.reduce(0, +) / Double(max(1, engine.count)), encodeSeconds: encodeSeconds,
                           startSeconds: startSeconds, cores: threads,
                           peakBytes: peak(config: config, plan: plan, runners: runners))
    }

    /// Seconds per frame to convert and encode `outputs` with the run's encoder (flush included).
    static func encodeCost(_ outputs: [Tensor], config: VideoJobConfig, plan: ScalePlan, demuxer: Demuxer) throws -> Double {
        let settings = try config.encoder.forContainer(path: config.output)
        let w = plan.outputWidth + plan.outputWidth % 2, h = plan.outputHeight + plan.outputHeight % 2
        let encoder = try VideoEncoder(settings: settings, width: w, height: h, inputPixelFormat: demuxer.videoPixelFormat,
                                       timeBase: demuxer.videoStream.timeBase, frameRate: demuxer.videoFrameRate,
                                       aspect: Rational(1, 1), color: demuxer.videoColor, globalHeader: false,
                                       hdrParams: nil, threads: 2, notes: { _ in })
        let converter = ColorConverter()
        let t0 = Date()
        for (i, out) in outputs.enumerated() {
            let frame = try converter.frame(from: out, format: encoder.pixelFormat, width: encoder.width, height: encoder.height,
                                            color: demuxer.videoColor, pts: Int64(i))
            _ = try encoder.encode(frame)
        }
        _ = try encoder.encode(nil)
        return Date().timeIntervalSince(t0) / Double(max(1, outputs.count))
    }

    /// Peak memory: the engine's working set (largest pass, per worker), the frames in flight
    /// between stages (input and output, float RGB, three queues), the reuse cache and the weights.
    static func peak(config: VideoJobConfig, plan: ScalePlan, runners: [TiledRunner]) -> Int {
        var w = plan.inputWidth, h = plan.inputHeight, working = 0.0
        for (stage, runner) in zip(plan.stages, runners) {
            let tw = runner.tile == 0 ? w : min(w, runner.tile + 2 * runner.pad), th = runner.tile == 0 ? h : min(h, runner.tile + 2 * runner.pad)
            working = max(working, stage.workingBytes(width: tw, height: th) * Double(runner.workers))
            w *= stage.scale; h *= stage.scale
        }
        let inFrame = 12 * plan.inputWidth * plan.inputHeight, outFrame = 12 * plan.outputWidth * plan.outputHeight
        let queues = config.framesInFlight * (2 * inFrame + 2 * outFrame)
        let reuse = config.reuse.mode == .off ? 0 : outFrame + 4 * 4 * plan.inputWidth * plan.inputHeight
        return Int(working) + queues + reuse + 64 << 20  // + code, weights, codec buffers
    }
}
