import SRKernels
import SRTensor

/// ncnn `Sigmoid`: `1 / (1 + exp(-x))`; no parameters.
public struct SigmoidLayer: Layer {
    /// Name for messages.
    public let name: String

    /// 1 / (1 + exp(-x)).
    public init(name: String) { self.name = name }

    /// Creates the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([])
        name = p.name
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        return [Kernels.activation(inputs[0], .sigmoid)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        return inputs
    }
}

extension SigmoidLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [:] }
}
