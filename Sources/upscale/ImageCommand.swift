import ArgumentParser
import SRPipeline

/// `upscale image IN -o OUT`: one still image.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Upscale one image (PNG, JPEG, WebP, TIFF, BMP; 8/16-bit; alpha kept).",
        discussion: """
            The output format follows the extension. 16-bit input stays 16-bit in PNG and TIFF.
            Examples:
              upscale image photo.png -o photo-x2.png
              upscale image scan.tiff -o scan-x4.tiff --model realesrgan-x4plus
              upscale image icon.png -o icon-x2.webp --model waifu2x-upconv7-anime-noise1-x2 -y
              upscale image still.png -o still-4k.png --preset film
            """)

    @Argument(help: ArgumentHelp("The image to upscale.", valueName: "input"))
    var input: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Where to write the result.", valueName: "output"))
    var output: String

    @OptionGroup var presetOptions: PresetOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sizeOptions: SizeOptions
    @OptionGroup var tilingOptions: TilingOptions
    @OptionGroup var runOptions: RunOptions

    /// The preset keys this command takes (the rest of a preset is ignored here).
    static let presetKeys = ModelOptions.presetKeys.union(SizeOptions.presetKeys).union(TilingOptions.presetKeys)
        .union(RunOptions.presetKeys)

    func run() throws {
        let preset = try presetOptions.values(keys: Self.presetKeys, sizeGiven: modelOptions.givesSize(sizeOptions))
        let quiet = runOptions.isQuiet(preset)
        var config = ImageJobConfig(input: input, output: output, overwrite: runOptions.overwrite,
                                    tiling: try tilingOptions.resolved(preset))
        modelOptions.apply(sizeOptions, preset: preset, to: &config)
        if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
        let result = try ImageJob.run(config) { Console.note($0, quiet: quiet) }
        Console.note("\(input) \(result.inputSize.width)x\(result.inputSize.height) -> \(output) "
                     + "\(result.outputSize.width)x\(result.outputSize.height) with \(result.upscalerName) "
                     + "in \(String(format: "%.2f", result.seconds)) s", quiet: quiet)
    }
}
