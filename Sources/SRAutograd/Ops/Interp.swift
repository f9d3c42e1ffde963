import SRTensor

/// Resampling mode of `Variable.interp`, by the name configs use; the taps are ncnn's
/// (`Reference.interpTaps`, half-pixel centres), so a trained network's exported `Interp` layer
/// computes exactly what training saw.
public enum ResampleMode: String, Sendable, CaseIterable {
    /// Source pixel floor(dst * in / out).
    case nearest
    /// Bilinear, no antialiasing.
    case bilinear
    /// Bicubic with a = -0.75, edge-clamped taps.
    case bicubic

    /// The engine's mode (its raw value is ncnn Interp's `resize_type`).
    public var interpMode: InterpMode {
        switch self {
        case .nearest: return .nearest
        case .bilinear: return .bilinear
        case .bicubic: return .bicubic
        }
    }
}

/// Interpolation as a separable linear map: each output row (column) is a weighted sum of input
/// rows (columns). The backward pass applies the transposed map.
extension Variable {
    /// Resizes every plane to `outH x outW`.
    public func interp(_ mode: ResampleMode, outH: Int, outW: Int) -> Variable {
        let x = value
        let ty = Taps(mode, from: x.h, to: outH), tx = Taps(mode, from: x.w, to: outW)
        let out = Taps.apply(x, rows: ty, cols: tx)
        return Variable(out, op: "interp_\(mode.rawValue)", parents: [self]) { g in
            [Taps.applyTransposed(g, rows: ty, cols: tx, h: x.h, w: x.w)]
        }
    }

    /// Resizes by an integer factor.
    public func interp(_ mode: ResampleMode, scale: Int) -> Variable { interp(mode, outH: h * scale, outW: w * scale) }
}

/// For each output index, the input indices and weights it reads.
struct Taps {
    let index: [[Int]], weight: [[Float]]

    init(_ mode: ResampleMode, from n: Int, to m: Int) {
        let taps = Reference.interpTaps(inSize: n, outSize: m, mode: mode.interpMode, alignCorners: false)
        index = taps.map { $0.map(\.0) }; weight = taps.map { $0.map(\.1) }
    }

    /// out[y][x] = Σ rows[y] Σ cols[x] in.
    static func apply(_ x: Tensor, rows: Taps, cols: Taps) -> Tensor {
        let oh = rows.index.count, ow = cols.index.count
        var out = Tensor(n: x.n, c: x.c, h: oh, w: ow)
        var tmp = [Float](repeating: 0, count: x.h * ow)
        for plane in 0..<(x.n * x.c) {
            let s = plane * x.h * x.w, d = plane * oh * ow
            for y in 0..<x.h { for o in 0..<ow {
                var acc: Float = 0
                for (i, wt) in zip(cols.index[o], cols.weight[o]) { acc += wt * x.data[s + y * x.w + i] }
                tmp[y * ow + o] = acc
            } }
            for o in 0..<oh {
                for (i, wt) in zip(rows.index[o], rows.weight[o]) {
                    for xx in 0..<ow { out.data[d + o * ow + xx] += wt * tmp[i * ow + xx] }
                }
            }
        }
        return out
    }

    /// The adjoint of `apply`: scatters `g` (oh x ow planes) back onto h x w planes.
    static func applyTransposed(_ g: Tensor, rows: Taps, cols: Taps, h: Int, w: Int) -> Tensor {
        let oh = rows.index.count, ow = cols.index.count
        var dx = Tensor(n: g.n, c: g.c, h: h, w: w)
        var tmp = [Float](repeating: 0, count: h * ow)
        for plane in 0..<(g.n * g.c) {
            let s = plane * oh * ow, d = plane * h * w
            for k in tmp.indices { tmp[k] = 0 }
            for o in 0..<oh {
                for (i, wt) in zip(rows.index[o], rows.weight[o]) {
                    for xx in 0..<ow { tmp[i * ow + xx] += wt * g.data[s + o * ow + xx] }
                }
            }
            for y in 0..<h { for o in 0..<ow {
                let v = tmp[y * ow + o]
                for (i, wt) in zip(cols.index[o], cols.weight[o]) { dx.data[d + y * w + i] += wt * v }
            } }
        }
        return dx
    }
}
