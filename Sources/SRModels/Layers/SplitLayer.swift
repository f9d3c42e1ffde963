import SRKernels
import SRTensor

/// ncnn `Split`: hands the same blob to several consumers (no copy: tensors are copy-on-write).
public struct SplitLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Number of outputs.
    public let outputCount: Int

    /// Hands its input to `outputs` readers.
    public init(name: String, outputs: Int) {
        self.name = name
        outputCount = outputs
    }

    /// Creates the layer; `Split` has no parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([])
        self.init(name: p.name, outputs: p.outputCount)
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        return [Tensor](repeating: inputs[0], count: max(outputCount, 1))
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        return [BlobShape](repeating: inputs[0], count: max(outputCount, 1))
    }
}

extension SplitLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [:] }
}
