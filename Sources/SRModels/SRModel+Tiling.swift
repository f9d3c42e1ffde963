extension SRModel {
    /// True when a layer pools over the whole input (waifu2x CUNet's squeeze-excitation blocks):
    /// then a tile sees different statistics than the whole frame, and tiling is approximate.
    public var poolsGlobally: Bool {
        net.nodes.contains { ($0.layer as? PoolingLayer)?.geometry.global == true }
    }
}
