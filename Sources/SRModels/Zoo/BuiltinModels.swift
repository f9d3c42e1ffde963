import CBuiltinModels

/// Models trained by upscale itself and compiled into the binary: they need no models folder
/// and no download (`make models` is only for the imported ncnn zoo).
public enum BuiltinModels {
    /// The built-in families: the real-video pair (degradation-aware, x2, x4), the clean-LR fast
    /// pair, the perceptual x4 variants of seeds 000/003 (GAN with LPIPS and MSHF) and 002
    /// (FCS classification head), seed 004's fusion of fast-x4 and gan-x4, and the diffusion
    /// model of seeds 001/000 (SR3 with MSHF; x8 cascades upscale-fast-x2 into it).
    public static let families: [ModelFamily] = [
        ModelFamily(name: "upscale-real", architecture: "SRVGGNetCompact 32x8, degraded LR (built in)",
                    use: "real video: H.264/MPEG-2/JPEG-compressed, noisy, soft",
                    variants: [ModelVariant("upscale-real-x2", scale: 2), ModelVariant("upscale-real-x4", scale: 4)]),
        ModelFamily(name: "upscale-fast", architecture: "SRVGGNetCompact 32x8 (built in)",
                    use: "clean input: lossless or high-bitrate sources, renders, screenshots",
                    variants: [ModelVariant("upscale-fast-x2", scale: 2), ModelVariant("upscale-fast-x4", scale: 4)]),
        ModelFamily(name: "upscale-gan", architecture: "SRVGGNetCompact 32x8, GAN + LPIPS + MSHF (built in)",
                    use: "clean input, sharper texture (perceptual, less faithful)",
                    variants: [ModelVariant("upscale-gan-x4", scale: 4)]),
        ModelFamily(name: "upscale-fcs", architecture: "FCSNet 32x8, FCS loss (built in)",
                    use: "clean input; the FCS classification method (seed 002)",
                    variants: [ModelVariant("upscale-fcs-x4", scale: 4)]),
        ModelFamily(name: "upscale-fusion", architecture: "FusionNet 32x8 mix + residual of upscale-fast-x4 + upscale-gan-x4 (built in)",
                    use: "clean input; seed 004's merge of a fidelity and a GAN model",
                    variants: [ModelVariant("upscale-fusion-x4", scale: 4)]),
        ModelFamily(name: "upscale-sr3", architecture: "SR3 U-Net 32x3 levels, diffusion + MSHF, DDIM (built in)",
                    use: "clean stills, generated detail (seeds 001/000); slow, --steps/--seed",
                    variants: [ModelVariant("upscale-sr3-x4", scale: 4)], cascade: "upscale-fast"),
    ]

    /// Every built-in model.
    public static var variants: [ModelVariant] { families.flatMap(\.variants) }

    /// The `weightsPath` prefix that marks a built-in model in a descriptor.
    public static let scheme = "builtin:"

    /// The safetensors bytes of a built-in model, or nil.
    public static func bytes(_ name: String) -> [UInt8]? {
        var count = 0
        guard let p = upscale_builtin_model(name, &count), count > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: p, count: count))
    }

    /// The descriptor of a built-in model, or nil.
    public static func descriptor(named name: String) -> ModelDescriptor? {
        guard let f = families.first(where: { $0.variants.contains { $0.name == name } }),
              let v = f.variants.first(where: { $0.name == name }) else { return nil }
        return ModelDescriptor(name: name, family: f.name, architecture: f.architecture, scale: v.scale,
                               paramPath: "", binPath: "", weightsPath: scheme + name)
    }

    /// The weights file of a built-in model.
    static func safeTensors(_ name: String) throws -> SafeTensors {
        guard let b = bytes(name) else { throw ModelError.badWeightsFile(file: name, detail: "not a built-in model") }
        return try SafeTensors(bytes: b, file: name + ".safetensors")
    }

    /// Loads the network of a built-in model.
    static func network(_ name: String) throws -> any TrainableNetwork {
        try ArchitectureRegistry.load(safeTensors(name), file: name + ".safetensors")
    }
}
