import SRKernels
import SRTensor

/// ncnn `Swish`: `x · sigmoid(x)` (SiLU); no parameters.
public struct SwishLayer: Layer {
    /// Name for messages.
    public let name: String

    /// x / (1 + e^-x).
    public init(name: String) { self.name = name }

    /// Creates the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([])
        name = p.name
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        return [Kernels.silu(inputs[0], isa: context.isa)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        return inputs
    }
}

extension SwishLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [:] }
}
