import SRKernels
import SRTensor

/// ncnn `PixelShuffle`: depth to space. Parameter 0 upscale_factor, 1 mode
/// (0: PyTorch order, channel `c*r*r + i*r + j`; 1: channel `(i*r + j) * outC + c`).
public struct PixelShuffleLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Upscale factor r.
    public let factor: Int
    /// Channel order mode.
    public let shuffleMode: PixelShuffleMode

    /// Depth to space by `factor`.
    public init(name: String, factor: Int, mode: PixelShuffleMode) {
        self.name = name
        self.factor = factor
        shuffleMode = mode
    }

    /// Reads the factor and mode.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1])
        let factor = try p.int(0, 1)
        let mode = try p.int(1, 0)
        guard factor > 0 else { throw p.unsupported("upscale_factor must be positive, got \(factor)") }
        guard let m = PixelShuffleMode(rawValue: mode) else { throw p.unsupported("mode \(mode) is not supported (0 or 1)") }
        self.init(name: p.name, factor: factor, mode: m)
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        _ = try outputShapes([BlobShape(inputs[0])])
        return [Kernels.pixelShuffle(inputs[0], factor: factor, mode: shuffleMode)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        let s = inputs[0], rr = factor * factor
        guard s.c % rr == 0 else {
            throw ModelError.shapeMismatch(layer: name, detail: "\(s.c) channels are not divisible by \(rr)")
        }
        return [BlobShape(c: s.c / rr, h: s.h * factor, w: s.w * factor)]
    }

    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        let f = inputs.first ?? ReceptiveField(radius: 0, step: 1)
        return ReceptiveField(radius: f.radius, step: f.step / Double(factor))
    }
}

extension PixelShuffleLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        shuffleMode.rawValue == 0 ? [0: .int(factor)] : [0: .int(factor), 1: .int(shuffleMode.rawValue)]
    }
}
