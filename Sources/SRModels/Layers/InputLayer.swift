import SRKernels
import SRTensor

/// ncnn `Input`: declares the network input blob. Parameters 0/1/2 (w, h, c) are informational.
public struct InputLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Declared shape (0 where unspecified).
    public let declared: BlobShape

    /// A network input of `shape` (0 for a size the input decides).
    public init(name: String, shape: BlobShape) {
        self.name = name
        declared = shape
    }

    /// Reads the declared shape.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2])
        self.init(name: p.name, shape: BlobShape(c: try p.int(2, 0), h: try p.int(1, 0), w: try p.int(0, 0)))
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] { inputs }
    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] { inputs }
}

extension InputLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(declared.w), 1: .int(declared.h), 2: .int(declared.c)] }
}
