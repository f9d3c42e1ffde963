import SRKernels
import SRTensor

/// ncnn `Input`: declares the network input blob. Parameters 0/1/2 (w, h, c) are informational.
public struct InputLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Declared shape (0 where unspecified).
    public let declared: BlobShape

    /// Reads the declared shape.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2])
        name = p.name
        declared = BlobShape(c: try p.int(2, 0), h: try p.int(1, 0), w: try p.int(0, 0))
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] { inputs }
    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] { inputs }
}
