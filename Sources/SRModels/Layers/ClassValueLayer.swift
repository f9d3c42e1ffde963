import SRKernels
import SRTensor

/// `ClassValue` (an upscale layer, not in ncnn): at every pixel, the value of the class with the
/// largest logit among the input's channels: seed 002's classification output read as the class
/// the network chose (not the softmax expectation, which averages back towards a blurred
/// regression). Parameter 0 classes; weights: raw fp32 value per class. One output channel.
public struct ClassValueLayer: Layer {
    /// Name for messages.
    public let name: String
    /// The value each class stands for.
    public let values: [Float]

    /// Creates the layer.
    public init(name: String, values: [Float]) { self.name = name; self.values = values }

    /// Loads the layer.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0])
        name = p.name
        let count = try p.int(0, 0)
        guard count > 1 else { throw p.shapeError("classes must be at least 2 (got \(count))") }
        bin.begin(layer: p.name, type: p.type)
        values = try bin.readRaw(count: count)
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        try LayerCheck.channels(inputs[0].c, values.count, name)
        return [BlobShape(c: 1, h: inputs[0].h, w: inputs[0].w)]
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.classValue(inputs[0], values: values)]
    }

    public var parameterCount: Int { 0 }
}

extension ClassValueLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(values.count)] }
    public func ncnnWeights(_ bin: inout NCNNWeights) { bin.raw(values) }
}
