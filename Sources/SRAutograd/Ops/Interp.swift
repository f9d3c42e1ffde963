import SRTensor

/// Resampling mode of `Variable.interp`.
public enum ResampleMode: String, Sendable, CaseIterable {
    /// Source pixel floor(dst * in / out) (PyTorch / ncnn nearest).
    case nearest
    /// Bilinear, half-pixel centres, no antialiasing (PyTorch `align_corners=False`).
    case bilinear
    /// Bicubic with a = -0.75, half-pixel centres, edge-clamped taps (PyTorch `align_corners=False`).
    case bicubic
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
        let scale = Double(n) / Double(m)
        var idx: [[Int]] = [], wts: [[Float]] = []
        func clampI(_ i: Int) -> Int { min(max(i, 0), n - 1) }
        for d in 0..<m {
            switch mode {
            case .nearest:
                idx.append([min(Int((Double(d) * scale).rounded(.down)), n - 1)]); wts.append([1])
            case .bilinear:
                let s = max((Double(d) + 0.5) * scale - 0.5, 0)
                let i0 = min(Int(s.rounded(.down)), n - 1), i1 = min(i0 + 1, n - 1), t = Float(s - Double(i0))
                idx.append([i0, i1]); wts.append([1 - t, t])
            case .bicubic:
                let s = (Double(d) + 0.5) * scale - 0.5, f = s.rounded(.down), t = Float(s - f), i = Int(f)
                idx.append((-1...2).map { clampI(i + $0) }); wts.append(Taps.cubic(t))
            }
        }
        index = idx; weight = wts
    }

    /// Keys' cubic weights for taps at -1, 0, 1, 2 (a = -0.75, PyTorch's).
    static func cubic(_ t: Float) -> [Float] {
        let a: Float = -0.75
        func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return [far(t + 1), near(t), near(1 - t), far(2 - t)]
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
