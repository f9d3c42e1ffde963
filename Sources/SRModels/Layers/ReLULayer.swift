import SRKernels
import SRTensor

/// ncnn `ReLU`: parameter 0 slope (0 = plain ReLU, otherwise leaky).
public struct ReLULayer: Layer {
    /// Name for messages.
    public let name: String
    /// The activation this layer applies.
    public let activation: Activation

    /// max(x, 0), or a leaky ReLU with `slope` for x < 0.
    public init(name: String, slope: Float = 0) {
        self.name = name
        activation = slope == 0 ? .relu : .leakyReLU(slope)
    }

    /// Reads the slope.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0])
        self.init(name: p.name, slope: try p.float(0, 0))
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        return [Kernels.activation(inputs[0], activation)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        return inputs
    }
}

extension ReLULayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        if case .leakyReLU(let s) = activation { return [0: .float(s)] }
        return [:]
    }
}
