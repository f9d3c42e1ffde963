import SRKernels
import SRTensor

/// ncnn `PReLU`: `x < 0 ? slope[c] * x : x`. Parameter 0 num_slope (1 = shared); raw fp32 slopes.
public struct PReLULayer: Layer {
    /// Name for messages.
    public let name: String
    /// One slope per channel, or a single shared slope.
    public let slopes: [Float]

    /// Learned negative slopes, one per channel (or one for all).
    public init(name: String, slopes: [Float]) {
        self.name = name
        self.slopes = slopes
    }

    /// Loads the slopes.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0])
        name = p.name
        let n = try p.int(0, 0)
        guard n > 0 else { throw p.shapeError("num_slope must be positive, got \(n)") }
        bin.begin(layer: p.name, type: p.type)
        slopes = try bin.readRaw(count: n)
    }

    /// The activation this layer applies.
    public var activation: Activation { .prelu(slopes) }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        _ = try outputShapes([BlobShape(inputs[0])])
        return [Kernels.activation(inputs[0], activation)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        if slopes.count != 1 { try LayerCheck.channels(inputs[0].c, slopes.count, name) }
        return inputs
    }

    public var parameterCount: Int { slopes.count }
}

extension PReLULayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(slopes.count)] }
    public func ncnnWeights(_ bin: inout NCNNWeights) { bin.raw(slopes) }
}
