import ArgumentParser
import Foundation
import SRPipeline

/// `upscale frames IN_DIR -o OUT_DIR|out.mp4`: a folder of frames.
struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Upscale a folder of images (frames) into a folder, resumably, or into a video.",
        discussion: """
            Images (png, jpg, webp, tiff, bmp; any case) are taken in natural order (frame2 before
            frame10). Into a folder, outputs keep their stems; 16-bit stays 16-bit, alpha is kept.
            Each output is written under a temporary name and renamed, so one that exists is
            complete: a re-run skips it (-y redoes everything). Into a video file (mp4, mkv, mov,
            webm) the frames are encoded at --fps.
            Examples:
              upscale frames shots/ -o shots-x2/
              upscale frames scans/ -o scans-x4/ --model realesrgan-x4plus --format tiff
              upscale frames render/ -o render.mp4 --fps 24 --preset anime
            """)

    @Argument(help: ArgumentHelp("The folder of input images.", valueName: "input-dir"))
    var input: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "An output folder (created when missing) or a video file.", valueName: "output"))
    var output: String

    @OptionGroup var presetOptions: PresetOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sizeOptions: SizeOptions

    @Option(name: .long, help: ArgumentHelp("Output image format: png, jpg, webp, tiff, bmp (default: each input's).",
                                            valueName: "ext"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("Frames processed at once; the threads are divided among them (default 2).",
                                            valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Frame rate of a video output (default 25; 23.976 and 29.97 are exact NTSC). (default: \(Defaults.fps))",
                                            valueName: "rate"))
    var fps: Double?

    @OptionGroup var encoderOptions: EncoderOptions
    @OptionGroup var tilingOptions: TilingOptions
    @OptionGroup var reuseFlags: ReuseFlags

    @Option(name: .long, help: ArgumentHelp("auto, plain, json or none. (default: \(Defaults.progress))", valueName: "mode"))
    var progress: String?

    @OptionGroup var runOptions: RunOptions

    /// The preset keys this command takes (the rest of a preset is ignored here).
    static let presetKeys = ModelOptions.presetKeys.union(SizeOptions.presetKeys).union(EncoderOptions.presetKeys)
        .union(TilingOptions.presetKeys).union(RunOptions.presetKeys).union(ReuseFlags.presetKeys).union([.format, .jobs, .fps, .progress])

    func run() throws {
        let preset = try presetOptions.values(keys: Self.presetKeys, sizeGiven: modelOptions.givesSize(sizeOptions))
        let quiet = runOptions.isQuiet(preset)
        let progress = self.progress ?? preset.progress ?? Defaults.progress
        guard let mode = ProgressMode(rawValue: progress) else {
            throw CLIFailure(message: "--progress must be auto, plain, json or none (got '\(progress)')")
        }
        if let jobs, jobs < 1 { throw CLIFailure(message: "--jobs must be at least 1 (got \(jobs))") }
        var config = FramesJobConfig(inputDir: input, output: output)
        modelOptions.apply(sizeOptions, preset: preset, to: &config)
        config.format = format ?? preset.format; config.jobs = jobs ?? preset.jobs; config.fps = fps ?? preset.fps ?? Defaults.fps
        config.overwrite = runOptions.overwrite; config.tiling = try tilingOptions.resolved(preset)
        config.encoder = try encoderOptions.resolved(preset); config.faststart = encoderOptions.faststart(preset)
        config.progress = quiet ? .none : mode
        config.reuse = try reuseFlags.resolved(preset)
        if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
        try FramesCommand.run(config, quiet: quiet)
    }

    /// Runs a frames job with Ctrl-C handling and a closing line.
    static func run(_ config: FramesJobConfig, quiet: Bool) throws {
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let r = try FramesJob.run(config, cancel: cancel) { Console.note($0, quiet: quiet) }
        withExtendedLifetime(trap) {}
        Console.note("\(config.inputDir) -> \(r.output): \(r.processed) frames upscaled"
                     + (r.skipped > 0 ? ", \(r.skipped) already done" : "")
                     + " in \(String(format: "%.1f", r.seconds)) s (\(String(format: "%.2f", r.fps)) fps)", quiet: quiet)
    }
}
