import SRKernels
import SRTensor

/// ncnn `Concat`: joins inputs along an axis. Parameter 0 axis; only the channel axis
/// (0, or -3) is supported.
public struct ConcatLayer: Layer {
    /// Name for messages.
    public let name: String

    /// Channel-wise concatenation.
    public init(name: String) { self.name = name }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0])
        name = p.name
        let axis = try p.int(0, 0)
        guard axis == 0 || axis == -3 else { throw p.unsupported("axis \(axis) is not supported (only channels, 0)") }
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.concatChannels(inputs)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        guard let f = inputs.first, inputs.allSatisfy({ $0.h == f.h && $0.w == f.w }) else {
            throw ModelError.shapeMismatch(layer: name, detail: "inputs differ in size: \(inputs.map(\.description).joined(separator: ", "))")
        }
        return [BlobShape(c: inputs.reduce(0) { $0 + $1.c }, h: f.h, w: f.w)]
    }
}

extension ConcatLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(0)] }
}
