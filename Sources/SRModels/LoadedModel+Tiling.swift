extension LoadedModel {
    /// Peak working memory (activations and scratch) of `upscale` on a `width x height` input, in
    /// bytes, from shape propagation; the per-pixel estimate when shapes cannot be propagated.
    public func workingBytes(width: Int, height: Int) -> Double {
        // A fusion model's net takes the sources' 6 stacked channels: use the per-pixel estimate.
        if !sources.isEmpty || diffusion != nil { return workingBytesPerInputPixel * Double(width * height) }
        let p = descriptor.prepadding, a = max(descriptor.alignment, 1)
        let h = (height + 2 * p + a - 1) / a * a, w = (width + 2 * p + a - 1) / a * a
        return (try? net.peakWorkingBytes(input: BlobShape(c: 3, h: h, w: w)))
            ?? workingBytesPerInputPixel * Double(width * height)
    }

    /// True when a layer pools over the whole input (waifu2x CUNet's squeeze-excitation blocks):
    /// then a tile sees different statistics than the whole frame, and tiling is approximate.
    public var poolsGlobally: Bool {
        net.nodes.contains { ($0.layer as? PoolingLayer)?.geometry.global == true }
    }

    /// False when a tile's output differs from the whole frame's: global pooling, or diffusion
    /// sampling (each step widens what a pixel depends on by the U-Net's receptive field).
    public var tilesExactly: Bool { !poolsGlobally && diffusion == nil }
}

extension LoadedModel {
    /// A model by what a user typed: a `.safetensors` file, or a model name (built in or installed).
    public static func source(_ name: String) throws -> LoadedModel {
        if name.hasSuffix(".safetensors") { return try LoadedModel(weightsFile: name) }
        return try LoadedModel(descriptor: ModelCatalog.locate(name))
    }
}
