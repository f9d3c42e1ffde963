import SRKernels
import SRTensor

/// `PixelGroupNorm` (an upscale layer, not in ncnn): GroupNorm with the statistics taken per
/// pixel over each group's channels, then a per-channel affine, so that tiles are exact.
/// Parameters 0 groups, 1 channels, 2 epsilon (float, default 1e-5). Weights: raw fp32 γ, then
/// raw fp32 β (one per channel each).
public struct PixelGroupNormLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Channel groups; γ and β per channel; the variance offset.
    public let groups: Int, gamma: [Float], beta: [Float], epsilon: Float

    /// Creates the layer.
    public init(name: String, groups: Int, gamma: [Float], beta: [Float], epsilon: Float = 1e-5) {
        self.name = name; self.groups = groups; self.gamma = gamma; self.beta = beta; self.epsilon = epsilon
    }

    /// Loads the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2])
        name = p.name
        groups = try p.int(0, 1)
        let channels = try p.int(1, 0)
        epsilon = try p.float(2, 1e-5)
        guard groups > 0, channels > 0, channels % groups == 0 else {
            throw p.shapeError("channels (\(channels)) must be a positive multiple of groups (\(groups))")
        }
        bin.begin(layer: p.name, type: p.type)
        gamma = try bin.readRaw(count: channels)
        beta = try bin.readRaw(count: channels)
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        try LayerCheck.channels(inputs[0].c, gamma.count, name)
        return inputs
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.pixelGroupNorm(inputs[0], groups: groups, gamma: gamma, beta: beta, epsilon: epsilon, context: context)]
    }

    public var parameterCount: Int { gamma.count + beta.count }
}

extension PixelGroupNormLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(groups), 1: .int(gamma.count), 2: .float(epsilon)] }
    public func ncnnWeights(_ bin: inout NCNNWeights) { bin.raw(gamma); bin.raw(beta) }
}
