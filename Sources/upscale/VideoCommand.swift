import ArgumentParser
import Foundation
import SRPipeline

/// Output size beyond an integer scale.
struct SizeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Exact output width (the height follows the aspect unless --height is given).",
                                            valueName: "w"))
    var width: Int?

    @Option(name: .long, help: ArgumentHelp("Exact output height (the width follows the aspect unless --width is given).",
                                            valueName: "h"))
    var height: Int?
}

/// How the video is encoded.
struct EncoderOptions: ParsableArguments {
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

    /// The typed settings, or a one-line error naming the bad value.
    func resolved() throws -> EncoderSettings {
        let opts = try encoderOpt.map { kv -> (key: String, value: String) in
            guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else {
                throw CLIFailure(message: "--encoder-opt wants key=value (got '\(kv)')")
            }
            return (String(kv[..<eq]), String(kv[kv.index(after: eq)...]))
        }
        if let crf, !(0...63).contains(crf) { throw CLIFailure(message: "--crf must be 0...63 (got \(crf))") }
        return EncoderSettings(codec: codec, crf: crf, preset: encoderPreset, pixelFormat: pixFmt, options: opts)
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

    @Option(name: .long, help: ArgumentHelp("auto (a live line on a terminal, plain lines otherwise), plain, json or none.",
                                            valueName: "mode"))
    var progress: String = "auto"

    @Flag(name: .long, help: "Fail on corrupt video data instead of concealing it.")
    var strict = false

    @Option(name: .customLong("frames-in-flight"), help: ArgumentHelp(
        "Frames buffered between stages (memory bound).", valueName: "n"))
    var framesInFlight: Int = 3

    @Option(name: .long, help: ArgumentHelp("Image format when the output is a folder of frames (default png).",
                                            valueName: "ext"))
    var format: String?

    @OptionGroup var resumeOptions: ResumeOptions
    @OptionGroup var runOptions: RunOptions

    func run() throws {
        let quiet = runOptions.quiet
        guard let mode = ProgressMode(rawValue: progress) else {
            throw CLIFailure(message: "--progress must be auto, plain, json or none (got '\(progress)')")
        }
        if FrameFolder.isFolderPath(input) {
            // `upscale frames/ -o out.mp4` works too.
            var config = FramesJobConfig(inputDir: input, output: output)
            config.model = modelOptions.model; config.scale = modelOptions.scale
            config.width = sizeOptions.width; config.height = sizeOptions.height
            config.overwrite = runOptions.overwrite; config.tiling = try tilingOptions.resolved()
            config.encoder = try encoderOptions.resolved(); config.faststart = encoderOptions.faststart
            config.format = format; config.progress = quiet ? .none : mode
            try FramesCommand.run(config, quiet: quiet)
            return
        }
        if FrameFolder.isFolderPath(output) {
            // `upscale clip.mp4 -o frames/`: numbered images.
            var config = VideoFramesConfig(input: input, outputDir: output)
            config.model = modelOptions.model; config.scale = modelOptions.scale
            config.width = sizeOptions.width; config.height = sizeOptions.height
            config.format = format ?? "png"; config.overwrite = runOptions.overwrite
            config.tiling = try tilingOptions.resolved(); config.strict = strict; config.progress = quiet ? .none : mode
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
            var config = ImageJobConfig(input: input, output: output, model: modelOptions.model, scale: modelOptions.scale,
                                        overwrite: runOptions.overwrite, tiling: try tilingOptions.resolved())
            config.width = sizeOptions.width; config.height = sizeOptions.height
            let r = try ImageJob.run(config) { Console.note($0, quiet: quiet) }
            Console.note("\(input) -> \(output) \(r.outputSize.width)x\(r.outputSize.height) with \(r.upscalerName)", quiet: quiet)
            return
        }
        var config = VideoJobConfig(input: input, output: output)
        config.model = modelOptions.model
        config.scale = modelOptions.scale
        config.width = sizeOptions.width
        config.height = sizeOptions.height
        config.overwrite = runOptions.overwrite
        config.tiling = try tilingOptions.resolved()
        config.encoder = try encoderOptions.resolved()
        config.progress = quiet ? .none : mode
        config.strict = strict
        config.framesInFlight = framesInFlight
        config.faststart = encoderOptions.faststart
        try resumeOptions.apply(to: &config)
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let result = try VideoJob.run(config, cancel: cancel) { Console.note($0, quiet: quiet) }
        withExtendedLifetime(trap) {}
        for n in result.auditNotes { Console.note("audit: \(n) (damaged input)", quiet: quiet) }
        Console.note("\(input) \(result.inputSize.width)x\(result.inputSize.height) -> \(output) "
                     + "\(result.outputSize.width)x\(result.outputSize.height) (\(result.plan), \(result.encoder) "
                     + "\(result.pixelFormat)): \(result.frames) frames in \(String(format: "%.1f", result.seconds)) s, "
                     + "\(String(format: "%.2f", result.fps)) fps"
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
