import ArgumentParser
import Foundation
import SRPipeline

/// Output size beyond an integer scale.
struct SizeOptions: ParsableArguments {
    /// The preset keys these options stand for.
    static let presetKeys: Set<PresetKey> = [.width, .height]

    @Option(name: .long, help: ArgumentHelp("Exact output width (the height follows the aspect unless --height is given).",
                                            valueName: "w"))
    var width: Int?

    @Option(name: .long, help: ArgumentHelp("Exact output height (the width follows the aspect unless --width is given).",
                                            valueName: "h"))
    var height: Int?
}

/// How the video is encoded.
struct EncoderOptions: ParsableArguments {
    /// The preset keys these options stand for.
    static let presetKeys: Set<PresetKey> = [.codec, .crf, .encoderPreset, .pixFmt, .encoderOpt, .faststart]

    @Option(name: .long, help: ArgumentHelp(
        "Video encoder: libx264 (default; libvpx-vp9 for .webm), libx265, libsvtav1, libvpx-vp9, ffv1, prores_ks, or any libavcodec encoder.",
        valueName: "name"))
    var codec: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Constant quality, 0-63 (lower is better; default 18 x264, 20 x265, 30 svt-av1 and vp9).", valueName: "n"),
        transform: { text in
            guard let v = Int(text) else { throw CLIFailure(message: "--crf wants a number from 0 to 63 (got '\(text)')") }
            return v
        })
    var crf: Int?

    @Option(name: .customLong("encoder-preset"), help: ArgumentHelp(
        "Encoder speed preset (x264/x265: ultrafast...veryslow, default medium; svt-av1: 0-13, default 8).",
        valueName: "name"))
    var encoderPreset: String?

    @Option(name: .customLong("pix-fmt"), help: ArgumentHelp(
        "Output pixel format (default: the input's bit depth and chroma, at least 4:2:0).", valueName: "fmt"))
    var pixFmt: String?

    @Option(name: .customLong("encoder-opt"), parsing: .singleValue, help: ArgumentHelp(
        "An encoder option passed through to libavcodec (repeatable), e.g. tune=animation.", valueName: "key=value"))
    var encoderOpt: [String] = []

    @Flag(name: .long, help: "mp4/mov: put the index at the start so playback can begin before the download ends.")
    var faststart = false

    /// The typed settings (the command line's values, else the preset's), or a one-line error
    /// naming the bad value. `--encoder-opt` adds to the preset's options; one with the same key
    /// replaces the preset's.
    func resolved(_ preset: PresetValues) throws -> EncoderSettings {
        let given = try EncoderOptions.pairs(encoderOpt)
        let fromPreset = try EncoderOptions.pairs(preset.encoderOpt ?? []).filter { p in !given.contains { $0.key == p.key } }
        let crf = self.crf ?? preset.crf
        if let crf, !(0...63).contains(crf) { throw CLIFailure(message: "--crf must be 0...63 (got \(crf))") }
        return EncoderSettings(codec: codec ?? preset.codec, crf: crf, preset: encoderPreset ?? preset.encoderPreset,
                               pixelFormat: pixFmt ?? preset.pixFmt, options: fromPreset + given)
    }

    /// `--faststart`, or the preset's `faststart = true`.
    func faststart(_ preset: PresetValues) -> Bool { faststart || (preset.faststart ?? false) }

    /// `key=value` words as pairs, or a one-line error naming the bad one.
    static func pairs(_ words: [String]) throws -> [(key: String, value: String)] {
        try words.map { kv -> (key: String, value: String) in
            guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else {
                throw CLIFailure(message: "--encoder-opt wants key=value (got '\(kv)')")
            }
            return (String(kv[..<eq]), String(kv[kv.index(after: eq)...]))
        }
    }
}

/// `upscale IN -o OUT` (also `upscale video`): the main job.
struct VideoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video",
        abstract: "Upscale a video file, keeping audio, subtitles, chapters, timestamps and metadata (the default command).",
        discussion: """
            Any file FFmpeg reads; the output container follows the extension (mp4, mkv, mov, webm).
            Audio, subtitle and data streams are copied untouched; frames keep their timestamps,
            so variable frame rate stays variable. 10-bit input stays 10-bit where the codec can.
            After the run an audit compares input and output (frames, duration, start times, audio).
            Examples:
              upscale clip.mp4 -o clip-x2.mp4
              upscale anime.mkv -o anime-4k.mkv --height 2160 --codec libx265 --crf 18
              upscale film.mov -o film-x2.mov --codec prores_ks --model realesrgan-x4plus --scale 2
              upscale old.avi -o old.mkv --codec ffv1 --progress json
              upscale anime.mkv -o anime-x2.mkv --preset anime
              upscale clip.mp4 -o frames/            (numbered PNG frames)
            """)

    @Argument(help: ArgumentHelp("The video to upscale.", valueName: "input"))
    var input: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the result.", valueName: "output"))
    var output: String

    @OptionGroup var presetOptions: PresetOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sizeOptions: SizeOptions
    @OptionGroup var encoderOptions: EncoderOptions
    @OptionGroup var tilingOptions: TilingOptions

    @Option(name: .long, help: ArgumentHelp(
        "auto (a live line on a terminal, plain lines otherwise), plain, json or none. (default: \(Defaults.progress))",
        valueName: "mode"))
    var progress: String?

    @Flag(name: .long, help: "Fail on corrupt video data instead of concealing it.")
    var strict = false

    @Option(name: .customLong("frames-in-flight"), help: ArgumentHelp(
        "Frames buffered between stages (memory bound). (default: \(Defaults.framesInFlight))", valueName: "n"))
    var framesInFlight: Int?

    @Option(name: .long, help: ArgumentHelp("Image format when the output is a folder of frames (default png).",
                                            valueName: "ext"))
    var format: String?

    @OptionGroup var reuseFlags: ReuseFlags
    @OptionGroup var resumeOptions: ResumeOptions

    @Flag(name: .customLong("dry-run"), help: "Print the plan and the predicted time and memory (from timing sample frames), write nothing.")
    var dryRun = false
    @OptionGroup var runOptions: RunOptions

    /// The preset keys this command takes (the rest of a preset is ignored here).
    static let presetKeys = ModelOptions.presetKeys.union(SizeOptions.presetKeys).union(EncoderOptions.presetKeys)
        .union(TilingOptions.presetKeys).union(RunOptions.presetKeys).union(ReuseFlags.presetKeys).union([.progress, .strict, .framesInFlight, .format])

    /// The merged preset and the settings every kind of run shares.
    private func common() throws -> (preset: PresetValues, quiet: Bool, mode: ProgressMode, strict: Bool, tiling: TileOptions) {
        let preset = try presetOptions.values(keys: Self.presetKeys, sizeGiven: modelOptions.givesSize(sizeOptions))
        let progress = self.progress ?? preset.progress ?? Defaults.progress
        guard let mode = ProgressMode(rawValue: progress) else {
            throw CLIFailure(message: "--progress must be auto, plain, json or none (got '\(progress)')")
        }
        return (preset, runOptions.isQuiet(preset), mode, self.strict || (preset.strict ?? false), try tilingOptions.resolved(preset))
    }

    /// The typed configuration of a video-to-video run (also what `plan` and `run-shard` use).
    func videoConfig() throws -> VideoJobConfig {
        let (preset, quiet, mode, strict, tiling) = try common()
        var config = VideoJobConfig(input: input, output: output)
        modelOptions.apply(sizeOptions, preset: preset, to: &config)
        config.overwrite = runOptions.overwrite
        config.tiling = tiling
        config.encoder = try encoderOptions.resolved(preset)
        config.progress = quiet ? .none : mode
        config.strict = strict
        config.framesInFlight = framesInFlight ?? preset.framesInFlight ?? Defaults.framesInFlight
        config.faststart = encoderOptions.faststart(preset)
        try resumeOptions.apply(to: &config)
        config.reuse = try reuseFlags.resolved(preset)
        return config
    }

    func run() throws {
        let (preset, quiet, mode, strict, tiling) = try common()
        let format = self.format ?? preset.format
        if FrameFolder.isFolderPath(input) {
            // `upscale frames/ -o out.mp4` works too.
            var config = FramesJobConfig(inputDir: input, output: output)
            modelOptions.apply(sizeOptions, preset: preset, to: &config)
            config.overwrite = runOptions.overwrite; config.tiling = tiling
            config.encoder = try encoderOptions.resolved(preset); config.faststart = encoderOptions.faststart(preset)
            config.format = format; config.progress = quiet ? .none : mode
            config.reuse = try reuseFlags.resolved(preset)
            if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
            try FramesCommand.run(config, quiet: quiet)
            return
        }
        if FrameFolder.isFolderPath(output) {
            // `upscale clip.mp4 -o frames/`: numbered images.
            var config = VideoFramesConfig(input: input, outputDir: output)
            modelOptions.apply(sizeOptions, preset: preset, to: &config)
            config.format = format ?? "png"; config.overwrite = runOptions.overwrite
            config.tiling = tiling; config.strict = strict; config.progress = quiet ? .none : mode
            config.reuse = try reuseFlags.resolved(preset)
            if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
            let cancel = CancelFlag()
            let trap = SignalTrap(cancel: cancel, quiet: quiet)
            let r = try VideoToFrames.run(config, cancel: cancel) { Console.note($0, quiet: quiet) }
            withExtendedLifetime(trap) {}
            Console.note("\(input) -> \(output): \(r.processed) frames written, \(r.skipped) already there, "
                         + "\(String(format: "%.1f", r.seconds)) s", quiet: quiet)
            return
        }
        if ModelsJob.isImagePath(input) && ModelsJob.isImagePath(output) {
            // `upscale photo.png -o big.png` works too.
            var config = ImageJobConfig(input: input, output: output, overwrite: runOptions.overwrite, tiling: tiling)
            modelOptions.apply(sizeOptions, preset: preset, to: &config)
            if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
            let r = try ImageJob.run(config) { Console.note($0, quiet: quiet) }
            Console.note("\(input) -> \(output) \(r.outputSize.width)x\(r.outputSize.height) with \(r.upscalerName)", quiet: quiet)
            return
        }
        let config = try videoConfig()
        if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
        // The plan and a prediction first: always with --dry-run, and before runs long enough
        // that timing 17 sample frames costs next to nothing (at least 1000 frames).
        if dryRun || (!quiet && (try? VideoJob.frameCount(config.input)).flatMap { $0 } ?? 0 >= 1000) {
            let estimate = try RunEstimator.estimate(config) { Console.note($0, quiet: quiet) }
            if mode == .json { Console.note(estimate.json, quiet: quiet) } else { Console.note(estimate.line, quiet: quiet) }
            if dryRun { return }
        }
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let result = try VideoJob.run(config, cancel: cancel) { Console.note($0, quiet: quiet) }
        withExtendedLifetime(trap) {}
        for n in result.auditNotes { Console.note("audit: \(n) (damaged input)", quiet: quiet) }
        Console.note("\(input) \(result.inputSize.width)x\(result.inputSize.height) -> \(output) "
                     + "\(result.outputSize.width)x\(result.outputSize.height) (\(result.plan), \(result.encoder) "
                     + "\(result.pixelFormat)): \(result.frames) frames in \(String(format: "%.1f", result.seconds)) s, "
                     + "\(String(format: "%.2f", result.fps)) fps"
                     + (result.reuseSummary.isEmpty ? "" : ", \(result.reuseSummary)")
                     + (result.segmentsReused > 0 ? " (resumed: \(result.resumedFrames) frames in \(result.segmentsReused) of "
                        + "\(result.segments) segments reused)" : ""), quiet: quiet)
    }
}

/// SIGINT/SIGTERM/SIGHUP: the first asks the run to stop after the current frame (the partial
/// output is removed, finished segments are kept, exit 130); a second removes the partial output
/// and exits at once.
final class SignalTrap {
    private var sources: [DispatchSourceSignal] = []

    init(cancel: CancelFlag, quiet: Bool) {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if cancel.isCancelled {
                    Engine.removeTemporaryFiles()
                    _exit(130)
                }
                cancel.cancel()
                Console.note("\nupscale: stopping after the current frame (interrupt again to stop now)", quiet: quiet)
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        signal(SIGHUP, SIG_DFL)
    }
}
