import SRKernels
import SRTensor

/// ncnn `Scale`: `x[c] * scale[c] (+ bias[c])`. Parameters 0 scale_data_size (-233: the scale
/// is the second input blob, one value per channel, and no weights are stored), 1 bias_term.
/// Weights: raw fp32 scales, then raw fp32 biases.
public struct ScaleLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Stored scales (empty when they come from the second input).
    public let scale: [Float]
    /// Stored biases or empty.
    public let bias: [Float]

    /// `x * scale + bias` per channel (`bias` empty: none).
    public init(name: String, scale: [Float], bias: [Float]) {
        self.name = name
        self.scale = scale
        self.bias = bias
    }

    /// Loads the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1])
        name = p.name
        let size = try p.int(0, 0)
        bin.begin(layer: p.name, type: p.type)
        if size == -233 {
            guard p.inputCount == 2 else { throw p.unsupported("scale_data_size -233 needs a second input blob") }
            scale = []; bias = []
        } else {
            guard size > 0 else { throw p.shapeError("scale_data_size must be positive, got \(size)") }
            scale = try bin.readRaw(count: size)
            bias = try p.int(1, 0) != 0 ? bin.readRaw(count: size) : []
        }
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        let x = inputs.first
        if scale.isEmpty {
            try LayerCheck.count(inputs, 2, name)
            let s = inputs[1]
            guard let x, s.c * s.h * s.w == x.c else {
                throw ModelError.shapeMismatch(layer: name, detail: "scale blob \(s) does not give one value per channel of \(inputs[0])")
            }
            return [x]
        }
        try LayerCheck.count(inputs, 1, name)
        try LayerCheck.channels(inputs[0].c, scale.count, name)
        return inputs
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        if scale.isEmpty { return [Kernels.scale(inputs[0], scale: inputs[1].data)] }
        return [Kernels.scale(inputs[0], scale: scale, bias: bias)]
    }

    public var parameterCount: Int { scale.count + bias.count }
}

extension ScaleLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        scale.isEmpty ? [0: .int(-233)] : [0: .int(scale.count), 1: .int(bias.isEmpty ? 0 : 1)]
    }
    public func ncnnWeights(_ bin: inout NCNNWeights) { bin.raw(scale); bin.raw(bias) }
}
