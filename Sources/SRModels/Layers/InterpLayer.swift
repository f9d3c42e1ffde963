import SRKernels
import SRTensor

/// ncnn `Interp`: resize. Parameters 0 resize_type (1 nearest, 2 bilinear, 3 bicubic),
/// 1/2 height/width scale, 3/4 output height/width (used when both are set),
/// 5 dynamic_target_size (must be 0), 6 align_corner.
public struct InterpLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Resampling kernel.
    public let mode: InterpMode
    /// Scale factors used when no output size is given.
    public let heightScale: Float, widthScale: Float
    /// Fixed output size (0 = from the scale).
    public let outputHeight: Int, outputWidth: Int
    /// Corner-aligned sampling.
    public let alignCorners: Bool

    /// Resampling by `heightScale` x `widthScale`, or to `outputHeight` x `outputWidth` when set.
    public init(name: String, mode: InterpMode, heightScale: Float, widthScale: Float, outputHeight: Int = 0, outputWidth: Int = 0,
                alignCorners: Bool = false) {
        self.name = name; self.mode = mode
        self.heightScale = heightScale; self.widthScale = widthScale
        self.outputHeight = outputHeight; self.outputWidth = outputWidth
        self.alignCorners = alignCorners
    }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2, 3, 4, 5, 6])
        name = p.name
        let type = try p.int(0, 0)
        guard let m = InterpMode(rawValue: type) else {
            throw p.unsupported("resize_type \(type) is not supported (1 nearest, 2 bilinear, 3 bicubic)")
        }
        mode = m
        heightScale = try p.float(1, 1); widthScale = try p.float(2, 1)
        outputHeight = try p.int(3, 0); outputWidth = try p.int(4, 0)
        guard try p.int(5, 0) == 0 else { throw p.unsupported("dynamic_target_size is not supported") }
        alignCorners = try p.int(6, 0) != 0
    }

    func outputSize(h: Int, w: Int) -> (h: Int, w: Int) {
        if outputHeight != 0 && outputWidth != 0 { return (outputHeight, outputWidth) }
        return (Int(Float(h) * heightScale), Int(Float(w) * widthScale))
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        let x = inputs[0]
        let o = try outputShapes([BlobShape(x)])[0]
        if o.h == x.h && o.w == x.w { return [x] }
        if outputHeight == 0 || outputWidth == 0 {
            return [Kernels.interp(x, mode: mode, heightScale: heightScale, widthScale: widthScale, alignCorners: alignCorners)]
        }
        return [Kernels.interp(x, mode: mode, outH: o.h, outW: o.w, alignCorners: alignCorners)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        let o = outputSize(h: inputs[0].h, w: inputs[0].w)
        guard o.h > 0, o.w > 0 else {
            throw ModelError.shapeMismatch(layer: name, detail: "output size \(o.h)x\(o.w) is empty")
        }
        return [BlobShape(c: inputs[0].c, h: o.h, w: o.w)]
    }

    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        let f = inputs.first ?? ReceptiveField(radius: 0, step: 1)
        let taps: Double = mode == .nearest ? 0.5 : (mode == .bilinear ? 1 : 2)
        let s = Double(min(heightScale, widthScale))
        return ReceptiveField(radius: f.radius + taps * f.step, step: s > 0 && outputHeight == 0 ? f.step / s : f.step)
    }
}

extension InterpLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        var v: [Int: NCNNParamValue] = [0: .int(mode.rawValue), 1: .float(heightScale), 2: .float(widthScale)]
        if outputHeight != 0 { v[3] = .int(outputHeight) }
        if outputWidth != 0 { v[4] = .int(outputWidth) }
        if alignCorners { v[6] = .int(1) }
        return v
    }
}
