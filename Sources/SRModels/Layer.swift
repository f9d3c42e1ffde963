import SRKernels
import SRTensor

/// Shape of one blob without its data (channels, height, width), for shape propagation.
public struct BlobShape: Sendable, Equatable, CustomStringConvertible {
    /// Channels, height and width.
    public var c: Int, h: Int, w: Int
    /// Creates a shape.
    public init(c: Int, h: Int, w: Int) { self.c = c; self.h = h; self.w = w }
    /// The shape of a tensor (batch ignored).
    public init(_ t: Tensor) { self.init(c: t.c, h: t.h, w: t.w) }
    public var description: String { "\(c)x\(h)x\(w)" }
}

/// One operator of an ncnn graph, loaded from its parameters and weights.
///
/// A layer is immutable after loading and `Sendable`: several workers may call `forward` at once.
public protocol Layer: Sendable {
    /// Runs the layer on its input blobs, returning its output blobs; parallel kernels use
    /// `context`'s threads.
    func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor]
    /// Output shapes for the given input shapes (no data is computed).
    func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape]
    /// Multiply-add count of one forward pass for the given input shapes (0 for cheap layers).
    func multiplyAdds(_ inputs: [BlobShape]) -> Double
    /// Number of learned values (weights, biases, slopes).
    var parameterCount: Int { get }
    /// Receptive field of the output given those of the inputs (default: the widest input's).
    func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField
}

extension Layer {
    public func multiplyAdds(_ inputs: [BlobShape]) -> Double { 0 }
    public var parameterCount: Int { 0 }
    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        ReceptiveField(radius: inputs.map(\.radius).max() ?? 0, step: inputs.first?.step ?? 1)
    }
}

/// How far a blob's pixels see into the network input.
///
/// `radius`: input pixels of context on each side that one blob pixel depends on;
/// `step`: the size of one blob pixel in input pixels (0.5 after a x2 upsampling).
/// Global pooling (channel attention) is ignored: it sees the whole input by design.
public struct ReceptiveField: Sendable, Equatable {
    /// Context on each side, in network-input pixels.
    public var radius: Double
    /// One blob pixel's size in network-input pixels.
    public var step: Double
    /// Creates a receptive field.
    public init(radius: Double, step: Double) { self.radius = radius; self.step = step }

    /// After a window of `extent` pixels with `stride` on a blob with this field.
    func window(extent: Int, stride: Int) -> ReceptiveField {
        ReceptiveField(radius: radius + Double(extent - 1) / 2 * step, step: step * Double(stride))
    }
}

/// Builds a layer from its parameters, reading its weights from the `.bin` cursor.
public typealias LayerFactory = @Sendable (NCNNLayerParams, NCNNModelBin) throws -> any Layer

extension NCNNLayerParams {
    /// The fused activation given by `9=activation_type` and `10=activation_params`.
    func activation() throws -> Activation {
        let type = try int(9, 0), p = try array(10)
        switch type {
        case 0: return .none
        case 1: return .relu
        case 2: return .leakyReLU(p.first ?? 0)
        case 3:
            guard p.count >= 2 else { throw unsupported("clip activation needs min and max (10=2,min,max)") }
            return .clip(p[0], p[1])
        case 4: return .sigmoid
        default: throw unsupported("activation_type \(type) is not supported (supported: 0 none, 1 relu, 2 leaky relu, 3 clip, 4 sigmoid)")
        }
    }

    /// Padding of a convolution-style layer: keys 4 (left), 15 (right), 14 (top), 16 (bottom).
    func padding() throws -> (left: Int, right: Int, top: Int, bottom: Int) {
        let l = try int(4, 0), r = try int(15, l), t = try int(14, l), b = try int(16, t)
        return (l, r, t, b)
    }
}

/// Shared input checks for layers.
enum LayerCheck {
    /// Throws unless exactly `n` inputs are given.
    static func count<T>(_ inputs: [T], _ n: Int, _ layer: String) throws {
        guard inputs.count == n else {
            throw ModelError.shapeMismatch(layer: layer, detail: "expects \(n) input(s), got \(inputs.count)")
        }
    }

    /// Throws unless the input has `c` channels.
    static func channels(_ got: Int, _ expected: Int, _ layer: String) throws {
        guard got == expected else {
            throw ModelError.shapeMismatch(layer: layer, detail: "expects \(expected) input channels, got \(got)")
        }
    }
}
