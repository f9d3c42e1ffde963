import SRKernels
import SRTensor

/// ncnn `InnerProduct`: fully connected over the flattened input. Parameters 0 num_output,
/// 1 bias_term, 2 weight_data_size, 8 int8_scale_term (must be 0), 9/10 activation.
/// Weights `[out][in]` (tagged), then raw fp32 biases. Output is `num_output x 1 x 1`.
public struct InnerProductLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Output count.
    public let outCount: Int
    /// Weights `[out][in]`.
    public let weight: [Float]
    /// Biases or empty.
    public let bias: [Float]
    /// Fused activation.
    public let activation: Activation

    /// `outCount` outputs from the flattened input: weights `[out][in]`, bias (or empty), activation.
    public init(name: String, outCount: Int, weight: [Float], bias: [Float], activation: Activation) {
        self.name = name; self.outCount = outCount
        self.weight = weight; self.bias = bias; self.activation = activation
    }

    /// Loads the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2, 8, 9, 10])
        name = p.name
        outCount = try p.int(0, 0)
        let size = try p.int(2, 0)
        guard outCount > 0, size > 0, size % outCount == 0 else {
            throw p.shapeError("weight_data_size \(size) is not a multiple of num_output \(outCount)")
        }
        guard try p.int(8, 0) == 0 else { throw p.unsupported("int8 quantized inner product is not supported") }
        activation = try p.activation()
        bin.begin(layer: p.name, type: p.type)
        weight = try bin.readTagged(count: size)
        bias = try p.int(1, 0) != 0 ? bin.readRaw(count: outCount) : []
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        let x = inputs[0], n = x.c * x.h * x.w
        guard n * outCount == weight.count else {
            throw ModelError.shapeMismatch(layer: name, detail: "expects \(weight.count / outCount) inputs, got \(x) = \(n)")
        }
        return [BlobShape(c: outCount, h: 1, w: 1)]
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.innerProduct(inputs[0], weight: weight, bias: bias, outCount: outCount, activation: activation, context: context)]
    }

    public func multiplyAdds(_ inputs: [BlobShape]) -> Double { Double(weight.count) }
    public var parameterCount: Int { weight.count + bias.count }
}

extension InnerProductLayer: NCNNEncodable {
    public func ncnnValues() throws -> [Int: NCNNParamValue] {
        guard var v = activation.ncnnValues else {
            throw ModelError.badGraph(file: "", layer: name, detail: "an inner product with a fused PReLU has no ncnn form")
        }
        v[0] = .int(outCount); v[1] = .int(bias.isEmpty ? 0 : 1); v[2] = .int(weight.count)
        return v
    }

    public func ncnnWeights(_ bin: inout NCNNWeights) {
        bin.tagged(weight)
        bin.raw(bias)
    }
}
