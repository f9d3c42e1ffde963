import SRKernels
import SRTensor

/// ncnn `Pooling`. Parameters 0 type (0 max, 1 average), 1/11 kernel w/h, 2/12 stride w/h,
/// 3/14/13/15 pad left/right/top/bottom, 4 global, 5 pad_mode (0 full: extra tail padding so
/// the window covers the end; 1 valid; 2 SAME_UPPER; 3 SAME_LOWER), 6 count_include_pad,
/// 7 adaptive (must be 0).
public struct PoolingLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Geometry with the fixed padding.
    public let geometry: PoolingGeometry
    /// ncnn pad_mode.
    public let padMode: Int

    /// Pooling of `geometry`; `padMode` as ncnn's key 5 (0 full, 1 valid, 2 SAME_UPPER, 3 SAME_LOWER).
    public init(name: String, geometry: PoolingGeometry, padMode: Int = 0) {
        self.name = name
        self.geometry = geometry
        self.padMode = padMode
    }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 11, 2, 12, 3, 14, 13, 15, 4, 5, 6, 7])
        name = p.name
        let type = try p.int(0, 0)
        guard let kind = PoolingKind(rawValue: type) else { throw p.unsupported("pooling_type \(type) is not supported") }
        var g = PoolingGeometry(kind: kind, global: try p.int(4, 0) != 0)
        g.kernelW = try p.int(1, 0); g.kernelH = try p.int(11, g.kernelW)
        g.strideW = try p.int(2, 1); g.strideH = try p.int(12, g.strideW)
        g.padLeft = try p.int(3, 0); g.padRight = try p.int(14, g.padLeft)
        g.padTop = try p.int(13, g.padLeft); g.padBottom = try p.int(15, g.padTop)
        g.countIncludePad = try p.int(6, 0) != 0
        padMode = try p.int(5, 0)
        guard try p.int(7, 0) == 0 else { throw p.unsupported("adaptive pooling is not supported") }
        guard (0...3).contains(padMode) else { throw p.unsupported("pad_mode \(padMode) is not supported") }
        if !g.global {
            guard g.kernelW > 0, g.kernelH > 0, g.strideW > 0, g.strideH > 0 else {
                throw p.unsupported("kernel and stride must be positive")
            }
        }
        geometry = g
    }

    func resolved(h: Int, w: Int) -> PoolingGeometry {
        var g = geometry
        guard !g.global else { return g }
        switch padMode {
        case 0:
            let wt = (w + g.padLeft + g.padRight - g.kernelW) % g.strideW
            let ht = (h + g.padTop + g.padBottom - g.kernelH) % g.strideH
            if wt != 0 { g.padRight += g.strideW - wt }
            if ht != 0 { g.padBottom += g.strideH - ht }
        case 1:
            break
        default:
            let wpad = max(g.kernelW + (w - 1) / g.strideW * g.strideW - w, 0)
            let hpad = max(g.kernelH + (h - 1) / g.strideH * g.strideH - h, 0)
            let upper = padMode == 2
            g.padLeft = upper ? wpad / 2 : wpad - wpad / 2; g.padRight = wpad - g.padLeft
            g.padTop = upper ? hpad / 2 : hpad - hpad / 2; g.padBottom = hpad - g.padTop
        }
        return g
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        let x = inputs[0]
        if geometry.global { return [BlobShape(c: x.c, h: 1, w: 1)] }
        let g = resolved(h: x.h, w: x.w)
        let oh = (x.h + g.padTop + g.padBottom - g.kernelH) / g.strideH + 1
        let ow = (x.w + g.padLeft + g.padRight - g.kernelW) / g.strideW + 1
        guard oh > 0, ow > 0, x.h + g.padTop + g.padBottom >= g.kernelH, x.w + g.padLeft + g.padRight >= g.kernelW else {
            throw ModelError.shapeMismatch(layer: name, detail: "input \(x.h)x\(x.w) is smaller than the window")
        }
        return [BlobShape(c: x.c, h: oh, w: ow)]
    }

    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        let f = inputs.first ?? ReceptiveField(radius: 0, step: 1)
        if geometry.global { return f }
        return f.window(extent: max(geometry.kernelH, geometry.kernelW), stride: max(geometry.strideH, geometry.strideW))
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.pooling(inputs[0], resolved(h: inputs[0].h, w: inputs[0].w))]
    }
}

extension PoolingLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        let g = geometry
        var v: [Int: NCNNParamValue] = [0: .int(g.kind.rawValue), 1: .int(g.kernelW), 2: .int(g.strideW), 3: .int(g.padLeft)]
        if g.kernelH != g.kernelW { v[11] = .int(g.kernelH) }
        if g.strideH != g.strideW { v[12] = .int(g.strideH) }
        if g.padRight != g.padLeft { v[14] = .int(g.padRight) }
        if g.padTop != g.padLeft { v[13] = .int(g.padTop) }
        if g.padBottom != g.padTop { v[15] = .int(g.padBottom) }
        if g.global { v[4] = .int(1) }
        if padMode != 0 { v[5] = .int(padMode) }
        if g.countIncludePad { v[6] = .int(1) }
        return v
    }
}
