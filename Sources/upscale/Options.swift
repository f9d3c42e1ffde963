import ArgumentParser
import SRPipeline

/// The defaults of options whose presence matters: each command uses the command line's value,
/// else the preset's, else the one here (the help text names it).
enum Defaults {
    /// `--overlap`.
    static let overlap = 8
    /// `--tile-pad`.
    static let tilePad = "auto"
    /// `--max-memory`.
    static let maxMemory = "2G"
    /// `--winograd`.
    static let winograd = "on"
    /// `--kernels`.
    static let kernels = "auto"
    /// `--progress` (video, frames).
    static let progress = "auto"
    /// `--frames-in-flight`.
    static let framesInFlight = 3
    /// `frames --fps`.
    static let fps = 25.0
    /// `batch --jobs`.
    static let batchJobs = 1
    /// `batch --name`.
    static let batchName = "{stem}_x{scale}.{ext}"
}

/// A job configuration with a model and an output size (every upscaling job has them).
protocol SizedJobConfig {
    /// The job's `model`.
    var model: String? { get set }
    /// The job's `scale`.
    var scale: Int? { get set }
    /// The job's `width`.
    var width: Int? { get set }
    /// The job's `height`.
    var height: Int? { get set }
}

extension VideoJobConfig: SizedJobConfig {}
extension VideoFramesConfig: SizedJobConfig {}
extension FramesJobConfig: SizedJobConfig {}
extension ImageJobConfig: SizedJobConfig {}
extension BatchJobConfig: SizedJobConfig {}

/// Which upscaler to use.
struct ModelOptions: ParsableArguments {
    /// The preset keys these options stand for.
    static let presetKeys: Set<PresetKey> = [.model, .scale]

    @Option(name: .long, help: ArgumentHelp(
        "Model name (see 'upscale models list'), a family name such as realesr-animevideov3, or lanczos/bicubic.",
        valueName: "name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Enlargement factor (default: the model's, or 2).", valueName: "n"))
    var scale: Int?

    /// Sets the model and size of `config`: the command line's, else the preset's (which has no
    /// size left when the command line gives one, see `PresetOptions.values`).
    func apply<C: SizedJobConfig>(_ size: SizeOptions, preset: PresetValues, to config: inout C) {
        config.model = model ?? preset.model
        config.scale = scale ?? preset.scale
        config.width = size.width ?? preset.width
        config.height = size.height ?? preset.height
    }

    /// Whether the command line gives a size (which replaces the preset's whole size).
    func givesSize(_ size: SizeOptions) -> Bool { scale != nil || size.width != nil || size.height != nil }
}

/// What may be replaced and how much to say.
struct RunOptions: ParsableArguments {
    /// The preset keys these options stand for.
    static let presetKeys: Set<PresetKey> = [.quiet]

    @Flag(name: [.customShort("y"), .long], help: "Overwrite an existing output.")
    var overwrite = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    /// `--quiet`, or the preset's `quiet = true`.
    func isQuiet(_ preset: PresetValues) -> Bool { quiet || (preset.quiet ?? false) }
}

/// Tiling, memory and threads.
struct TilingOptions: ParsableArguments {
    /// The preset keys these options stand for.
    static let presetKeys: Set<PresetKey> = [.tile, .overlap, .tilePad, .maxMemory, .threads, .workers, .winograd, .kernels]

    @Option(name: .long, help: ArgumentHelp("Tile size in input pixels; 0 = whole frame (default: fit --max-memory).",
                                            valueName: "n"))
    var tile: Int?

    @Option(name: .long, help: ArgumentHelp("Overlap between tiles in input pixels, blended smoothly. (default: \(Defaults.overlap))",
                                            valueName: "n"))
    var overlap: Int?

    @Option(name: .customLong("tile-pad"), help: ArgumentHelp(
        "Context pixels around each tile: 'auto' (the model's receptive field: seam-free) or a number. (default: \(Defaults.tilePad))",
        valueName: "auto|n"))
    var tilePad: String?

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Memory budget for inference (e.g. 512M, 2G); picks the tile size. (default: \(Defaults.maxMemory))", valueName: "size"))
    var maxMemory: String?

    @Option(name: .long, help: ArgumentHelp("Total threads (default: every core).", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Tiles processed at once (default: one, every thread inside it; one per thread for models with little Winograd work).", valueName: "n"))
    var workers: Int?

    @Option(name: .long, help: ArgumentHelp("Run 3x3 convolutions as Winograd F(6x6,3x3) ('off': im2col + GEMM everywhere, for comparisons). (default: \(Defaults.winograd))",
                                            valueName: "on|off"))
    var winograd: String?

    @Option(name: .long, help: ArgumentHelp("C-kernel variant: auto (the widest this CPU runs), generic, avx2, avx2-w16 or avx512 (for comparisons and bug reports). (default: \(Defaults.kernels))",
                                            valueName: "name"))
    var kernels: String?

    @Option(name: .long, help: ArgumentHelp("Diffusion models (upscale-sr3-*): DDIM denoising steps; the time per frame grows with them. (default: the model's)",
                                            valueName: "n"))
    var steps: Int?

    @Option(name: .long, help: ArgumentHelp("Diffusion models: noise seed; the same seed gives the same output, tiled or not. (default: 0)",
                                            valueName: "n"))
    var seed: UInt64?

    /// The typed options (the command line's values, else the preset's, else the defaults), or
    /// a one-line error naming the bad flag.
    func resolved(_ preset: PresetValues = PresetValues()) throws -> TileOptions {
        let tilePad = self.tilePad ?? preset.tilePad ?? Defaults.tilePad
        let maxMemory = self.maxMemory ?? preset.maxMemory ?? Defaults.maxMemory
        let winograd = self.winograd ?? preset.winograd ?? Defaults.winograd
        let kernels = self.kernels ?? preset.kernels ?? Defaults.kernels
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
        var options = TileOptions(tile: tile ?? preset.tile, overlap: overlap ?? preset.overlap ?? Defaults.overlap, pad: pad,
                                  maxMemory: budget, threads: threads ?? preset.threads, workers: workers ?? preset.workers,
                                  winograd: winograd == "on", kernels: try TileOptions.kernelVariant(named: kernels))
        options.steps = steps
        options.seed = seed ?? 0
        try options.validate()
        return options
    }
}

/// `--preset NAME|PATH`: an ordinary option; each command reads the preset's values for the keys
/// of its table and merges them with its own options (see `values(keys:sizeGiven:)`).
struct PresetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A TOML preset: a path, a name in ~/.config/upscale/presets, or a shipped one (see 'upscale presets list'). "
        + "Flags given on the command line override it.", valueName: "name|path"))
    var preset: String?

    /// The preset's values for `keys` (none without `--preset`); when the command line gives a
    /// size, the preset's size keys are left out. Throws one line naming the file, line and key.
    func values(keys: Set<PresetKey>, sizeGiven: Bool) throws -> PresetValues {
        guard let preset else { return PresetValues() }
        return try Preset(path: try PresetStore.locate(preset)).values.restricted(to: keys, dropSize: sizeGiven)
    }
}
