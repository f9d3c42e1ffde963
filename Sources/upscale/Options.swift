import ArgumentParser

/// Which upscaler to use.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Model name (see 'upscale models list'), a family name such as realesr-animevideov3, or lanczos/bicubic.",
        valueName: "name"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Enlargement factor (default: the model's, or 2).", valueName: "n"))
    var scale: Int?
}

/// How to run and what may be replaced.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Worker threads (default: every core).", valueName: "n"))
    var threads: Int?

    @Flag(name: [.customShort("y"), .long], help: "Overwrite an existing output.")
    var overwrite = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false
}
