import ArgumentParser
import Foundation
import SRPipeline

/// `upscale preview IN -o preview.png`: one frame through several models, side by side.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Compare models on one frame: the same crop of each result side by side, labelled, in one image.",
        discussion: """
            Decodes one frame of a video (--at seconds or --frame N; default the middle) or an
            image, runs each model on the whole frame and writes one image: the input crop enlarged
            by nearest neighbour, then each model's crop at output resolution, each labelled with
            the model and its time for the whole frame. --crop auto (the default) picks the most
            detailed region. For a video it also prints what each model would take for all frames.
            Examples:
              upscale preview clip.mp4 --at 1.5 -o p.png
              upscale preview film.mkv --models upscale-fast-x4,upscale-gan-x4,lanczos -o p.png
              upscale preview scan.png --crop 200x150+40+60 --scale 4 -o p.png
            """)

    @Argument(help: ArgumentHelp("A video or an image.", valueName: "input"))
    var input: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The comparison image (png, tiff, ...).", valueName: "output"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Seconds into the video (default: the middle).", valueName: "time"))
    var at: Double?

    @Option(name: .long, help: ArgumentHelp("The frame by index (0 = the first) instead of --at.", valueName: "n"))
    var frame: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Models, families or filters, comma-separated (default: the built-ins for the scale, bicubic, lanczos).",
        valueName: "a,b,c"))
    var models: String?

    @Option(name: .long, help: ArgumentHelp("Enlargement factor (default: the first model's, or 2).", valueName: "n"))
    var scale: Int?

    @Option(name: .long, help: ArgumentHelp("The region, in input pixels: WxH+X+Y, or auto (the most detailed).",
                                            valueName: "crop"))
    var crop: String?

    @OptionGroup var tilingOptions: TilingOptions
    @OptionGroup var runOptions: RunOptions

    func run() throws {
        let none = PresetValues()
        let quiet = runOptions.isQuiet(none)
        var config = PreviewConfig(input: input, output: output)
        config.at = at; config.frame = frame; config.scale = scale; config.crop = crop
        config.models = try models.map { list in
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw CLIFailure(message: "--models needs at least one name") }
            return names
        }
        config.overwrite = runOptions.overwrite
        config.tiling = try tilingOptions.resolved(none)
        let r = try PreviewJob.run(config) { Console.note($0, quiet: quiet) }
        let c = r.crop
        Console.note("\(output): \(r.imageSize.width)x\(r.imageSize.height), \(r.panels.count) panels of "
                     + "\(r.panelSize.width)x\(r.panelSize.height) from \(r.origin) of \(input), crop \(c.width)x\(c.height)+\(c.x)+\(c.y)",
                     quiet: quiet)
        for p in r.panels {
            guard let ms = p.milliseconds else { continue }
            let whole = r.videoFrames.map { n in ", about \(RunEstimate.duration(Double(n) * ms / 1000)) for \(n) frame\(n == 1 ? "" : "s") (engine only)" } ?? ""
            Console.note("  \(p.name): \(String(format: "%.0f", ms)) ms per frame\(whole)", quiet: quiet)
        }
    }
}
