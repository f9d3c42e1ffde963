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
    /// Work in resumable segments (`.NAME.upscale/` beside the output); false: one pass (`--no-resume`).
    public var resume = true
    /// Discard an unfinished earlier run instead of resuming it (`--restart`).
    public var restart = false
    /// Shortest segment, in seconds of video (segments start at closed-GOP keyframes).
    public var segmentSeconds = 2.0
    /// Temporal reuse of unchanged frames and tiles (`--reuse`, `--reuse-threshold`).
    public var reuse = ReuseOptions()

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
    /// Frames an earlier, interrupted run had finished (reused, not recomputed).
    public var resumedFrames = 0
    /// Segments of a resumable run (0: one pass), and how many were reused.
    public var segments = 0, segmentsReused = 0
    /// Temporal reuse: frames that reused an earlier output, and tiles recomputed (percent; nil
    /// when the mode is not `auto` or no frame was computed).
    public var reusedFrames = 0, tilesRecomputed: Double?
    /// Temporal reuse in words (`reused 24/48 frames, recomputed 31.5% of tiles`; empty when off).
    public var reuseSummary = ""
    /// Frames computed per second end to end (resumed frames are not counted).
    public var fps: Double { seconds > 0 ? Double(frames - resumedFrames) / seconds : 0 }
}

/// Upscales a video file: every stream, timestamp and tag kept (see `VideoScheduler`).
public enum VideoJob {
    /// Frames in the video at `path` as its header tells (nil when unknown).
    public static func frameCount(_ path: String) throws -> Int? { try Demuxer(path: path).estimatedVideoFrames }

    /// Runs the job. `notes` hears one-line remarks and warnings; `cancel` stops it at the next
    /// frame (throws `PipelineError.interrupted`). Nothing is left at `output` on error.
    public static func run(_ config: VideoJobConfig, cancel: CancelFlag = CancelFlag(),
                           notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> VideoJobResult {
        let config = try checked(config)
        let scheduler = try VideoScheduler(config: config, cancel: cancel, notes: notes)
        var result: VideoJobResult
        var damaged: Bool
        var resumable: ResumableRun?
        if config.resume {
            let run = ResumableRun(config: config, scheduler: scheduler, notes: notes)
            let outcome = try run.run()
            (result, damaged, resumable) = (outcome.result, outcome.damaged, run)
        } else {
            result = try scheduler.run()
            damaged = scheduler.inputDamaged
        }
        return try finish(scheduler, result: result, damaged: damaged, cleanUp: { resumable?.cleanUp() })
    }

    /// `config` checked (input, output, sizes, options) with the encoder chosen for the container.
    static func checked(_ config: VideoJobConfig) throws -> VideoJobConfig {
        try OutputGuard.check(input: config.input, output: config.output, overwrite: config.overwrite)
        var resolved = config
        resolved.encoder = try config.encoder.forContainer(path: config.output)  // a codec the container cannot hold fails first
        try resolved.tiling.validate()
        if resolved.framesInFlight < 1 { throw PipelineError.invalidOption("frames in flight must be at least 1") }
        if !(resolved.segmentSeconds > 0) { throw PipelineError.invalidOption("--segment-seconds must be positive") }
        return resolved
    }

    /// Audits the closed temporary output against the input, then renames it into place;
    /// `cleanUp` removes the work folder once the output is settled (in place, or removed).
    static func finish(_ scheduler: VideoScheduler, result: VideoJobResult, damaged: Bool,
                       cleanUp: () -> Void) throws -> VideoJobResult {
        let config = scheduler.config
        var result = result
        if config.audit {
            // The output is checked while it still has its temporary name: a bad file never appears.
            let inSummary = try MediaSummary.read(config.input)
            let outSummary = try MediaSummary.read(scheduler.muxer.temporaryPath)
            let findings = MediaAudit.compare(input: inSummary, output: outSummary, droppedStreams: scheduler.droppedStreams,
                                              damaged: damaged)
            if let fatal = findings.first(where: \.fatal) {
                scheduler.muxer.abort()
                cleanUp()
                throw PipelineError.auditFailed(fatal.message)
            }
            result.auditNotes = findings.map(\.message)
        }
        do {
            try scheduler.muxer.commit(replace: config.overwrite)
        } catch {
            cleanUp()  // the result is kept beside the output (see `AtomicFile.commit`)
            throw error
        }
        cleanUp()
        return result
    }
}
