import ArgumentParser
import SRPipeline

/// Which upscaler to use.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Model name (see 'upscale models list'), a family name such as realesr-animevideov3, or lanczos/bicubic.",
        valueName: "name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Enlargement factor (default: the model's, or 2).", valueName: "n"))
    var scale: Int?
}

/// What may be replaced and how much to say.
struct RunOptions: ParsableArguments {
    @Flag(name: [.customShort("y"), .long], help: "Overwrite an existing output.")
    var overwrite = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false
}

/// Tiling, memory and threads.
struct TilingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Tile size in input pixels; 0 = whole frame (default: fit --max-memory).",
                                            valueName: "n"))
    var tile: Int?

    @Option(name: .long, help: ArgumentHelp("Overlap between tiles in input pixels, blended smoothly.", valueName: "n"))
    var overlap: Int = 8

    @Option(name: .customLong("tile-pad"), help: ArgumentHelp(
        "Context pixels around each tile: 'auto' (the model's receptive field: seam-free) or a number.",
        valueName: "auto|n"))
    var tilePad: String = "auto"

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Memory budget for inference (e.g. 512M, 2G); picks the tile size.", valueName: "size"))
    var maxMemory: String = "2G"

    @Option(name: .long, help: ArgumentHelp("Total threads (default: every core).", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Tiles processed at once (default: one, every thread inside it; one per thread for models with little Winograd work).", valueName: "n"))
    var workers: Int?

    @Option(name: .long, help: ArgumentHelp("Run 3x3 convolutions as Winograd F(6x6,3x3) ('off': im2col + GEMM everywhere, for comparisons).",
                                            valueName: "on|off"))
    var winograd: String = "on"

    @Option(name: .long, help: ArgumentHelp("C-kernel variant: auto (the widest this CPU runs), generic, avx2, avx2-w16 or avx512 (for comparisons and bug reports).",
                                            valueName: "name"))
    var kernels: String = "auto"

    /// The typed options, or a one-line error naming the bad flag.
    func resolved() throws -> TileOptions {
        var pad: Int?
        if tilePad != "auto" {
            guard let p = Int(tilePad), p >= 0 else {
                throw CLIFailure(message: "--tile-pad must be 'auto' or a non-negative number (got '\(tilePad)')")
            }
            pad = p
        }
        guard let budget = TileOptions.parseSize(maxMemory) else {
            throw CLIFailure(message: "--max-memory: cannot read '\(maxMemory)' as a size (e.g. 512M, 2G)")
        }
        guard winograd == "on" || winograd == "off" else { throw CLIFailure(message: "--winograd must be 'on' or 'off' (got '\(winograd)')") }
        let options = TileOptions(tile: tile, overlap: overlap, pad: pad, maxMemory: budget, threads: threads, workers: workers,
                                  winograd: winograd == "on", kernels: try TileOptions.kernelVariant(named: kernels))
        try options.validate()
        return options
    }
}

/// `--preset NAME|PATH`: applied before parsing (see `PresetStore.expand`); declared here so that
/// help, completions and the man page know it.
struct PresetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A TOML preset: a path, a name in ~/.config/upscale/presets, or a shipped one (see 'upscale presets list'). "
        + "Flags given on the command line override it.", valueName: "name|path"))
    var preset: String?
}
