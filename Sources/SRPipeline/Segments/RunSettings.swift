import SRMedia

/// The settings that change an output, by name: what a resumed run, a shard and a batch task
/// compare with the run that planned the work (one place, so they cannot drift apart).
enum RunSettings {
    /// The encoder's settings, with the codec's defaults filled in (the same output either way).
    static func encoder(_ e: EncoderSettings) -> [String: String] {
        ["codec": e.codec, "crf": (e.crf ?? e.defaultCRF).map(String.init) ?? "-",
         "encoder-preset": e.preset ?? e.defaultPreset ?? "-", "pix-fmt": e.pixelFormat ?? "-",
         "encoder-opt": e.options.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
    }

    /// The tiling options as one line.
    static func tiling(_ t: TileOptions) -> String {
        "tile \(t.tile.map(String.init) ?? "auto") overlap \(t.overlap) pad \(t.pad.map(String.init) ?? "auto") "
            + "max-memory \(t.maxMemory) winograd \(t.winograd) kernels \(t.kernels)"
    }

    /// A video run's settings once its scale plan is known.
    static func video(_ config: VideoJobConfig, plan: ScalePlan) -> [String: String] {
        var s = encoder(config.encoder)
        s["plan"] = plan.summary
        s["size"] = "\(plan.outputWidth)x\(plan.outputHeight)"
        s["models"] = plan.stages.map(\.identity).joined(separator: "; ")
        s["tiling"] = tiling(config.tiling)
        s["strict"] = String(config.strict)
        s["segment-seconds"] = String(config.segmentSeconds)
        return s
    }
}
