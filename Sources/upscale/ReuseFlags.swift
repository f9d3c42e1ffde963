import ArgumentParser
import SRPipeline

/// Temporal reuse of unchanged frames and tiles (video and frame sequences).
struct ReuseFlags: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "off, exact (bit-identical input frames reuse their output; the result equals off) or auto "
        + "(frames and tiles within --reuse-threshold of the input their output came from). (default: auto)",
        valueName: "mode"))
    var reuse: String?

    @Option(name: .customLong("reuse-threshold"), help: ArgumentHelp(
        "auto: recompute a tile when any luma pixel of its window moved more than N 8-bit levels, or N/10 on average. "
        + "(default: \(Int(ReuseOptions.defaultLevels)))", valueName: "N"))
    var threshold: Double?

    /// The preset keys these flags stand for.
    static let presetKeys: Set<PresetKey> = [.reuse, .reuseThreshold]

    /// The typed choice: flags over the preset over the defaults.
    func resolved(_ preset: PresetValues) throws -> ReuseOptions {
        let name = reuse ?? preset.reuse ?? "auto"
        guard let mode = ReuseMode(rawValue: name) else {
            throw CLIFailure(message: "--reuse must be off, exact or auto (got '\(name)')")
        }
        let options = ReuseOptions(mode: mode, levels: (threshold ?? preset.reuseThreshold).map(Float.init))
        try options.validate()
        return options
    }
}
