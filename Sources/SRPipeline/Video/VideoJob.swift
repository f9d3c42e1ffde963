import Foundation
import SRMedia

/// Typed configuration of one video run (`upscale IN -o OUT`).
public struct VideoJobConfig: Sendable {
    public var input: String
    public var output: String
    /// Model, family or classical filter; nil = the default.
    public var model: String?
    /// Integer enlargement; exclusive with `width`/`height`.
    public var scale: Int?
    /// Exact output width and/or height (aspect kept when only one is given).
    public var width: Int?, height: Int?
    public var overwrite = false
    public var tiling = TileOptions()
    public var encoder = EncoderSettings()
    public var progress: ProgressMode = .auto
    /// Corrupt video data fails the run instead of being concealed.
    public var strict = false
    /// Decoded and upscaled frames held at once between stages (memory bound).
    public var framesInFlight = 3
    /// Compare input and output after the run and fail on a mismatch.
    public var audit = true
    /// mp4/mov: put the index first so that playback starts before the download ends.
    public var faststart = false

    /// Creates a configuration.
    public init(input: String, output: String) { self.input = input; self.output = output }
}

/// What a video run did.
public struct VideoJobResult: Sendable {
    public var frames: Int
    /// Frames repeated in place of corrupt ones.
    public var concealed: Int
    public var seconds: Double
    public var plan: String
    public var inputSize: (width: Int, height: Int)
    public var outputSize: (width: Int, height: Int)
    public var encoder: String
    public var pixelFormat: String
    /// Audit differences that were explained by damaged input (non-fatal).
    public var auditNotes: [String]
    /// Frames per second end to end.
    public var fps: Double { seconds > 0 ? Double(frames) / seconds : 0 }
}

/// Upscales a video file: every stream, timestamp and tag kept (see `VideoScheduler`).
public enum VideoJob {
    /// Runs the job. `notes` hears one-line remarks and warnings; `cancel` stops it at the next
    /// frame (throws `PipelineError.interrupted`). Nothing is left at `output` on error.
    public static func run(_ config: VideoJobConfig, cancel: CancelFlag = CancelFlag(),
                           notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> VideoJobResult {
        try OutputGuard.check(input: config.input, output: config.output, overwrite: config.overwrite)
        var resolved = config
        resolved.encoder = try config.encoder.forContainer(path: config.output)  // a codec the container cannot hold fails first
        let config = resolved
        try config.tiling.validate()
        if config.framesInFlight < 1 { throw PipelineError.invalidOption("frames in flight must be at least 1") }
        let scheduler = try VideoScheduler(config: config, cancel: cancel, notes: notes)
        var result = try scheduler.run()
        if config.audit {
            // The output is checked while it still has its temporary name: a bad file never appears.
            let inSummary = try MediaSummary.read(config.input)
            let outSummary = try MediaSummary.read(scheduler.muxer.temporaryPath)
            let findings = MediaAudit.compare(input: inSummary, output: outSummary, droppedStreams: scheduler.droppedStreams,
                                              damaged: scheduler.inputDamaged)
            if let fatal = findings.first(where: \.fatal) {
                scheduler.muxer.abort()
                throw PipelineError.auditFailed(fatal.message)
            }
            result.auditNotes = findings.map(\.message)
        }
        try scheduler.muxer.commit(replace: config.overwrite)
        return result
    }
}
