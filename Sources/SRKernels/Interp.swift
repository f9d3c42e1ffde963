import SRTensor

extension Kernels {
    /// Resizes every channel to `outH x outW` (ncnn Interp; semantics as `Reference.interp`).
    ///
    /// Separable: taps are precomputed once per axis; each output row is a tap-weighted sum of
    /// horizontally resampled input rows, which are computed once per plane. Scratch is per call.
    public static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool = false) -> Tensor {
        interp(x, mode: mode, outH: outH, outW: outW, alignCorners: alignCorners,
               nearestStepH: Float(x.h) / Float(outH), nearestStepW: Float(x.w) / Float(outW))
    }

    /// Resizes by scale factors as ncnn does without an output size (see `Reference.interp`):
    /// `outH = Int(Float(x.h) * heightScale)`; nearest steps by `1 / scale`.
    public static func interp(_ x: Tensor, mode: InterpMode, heightScale: Float, widthScale: Float,
                              alignCorners: Bool = false) -> Tensor {
        let (outH, outW) = Reference.interpOutputSize(h: x.h, w: x.w, heightScale: heightScale, widthScale: widthScale)
        return interp(x, mode: mode, outH: outH, outW: outW, alignCorners: alignCorners,
                      nearestStepH: 1 / heightScale, nearestStepW: 1 / widthScale)
    }

    private static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool,
                               nearestStepH: Float, nearestStepW: Float) -> Tensor {
        precondition(outH > 0 && outW > 0 && x.h > 0 && x.w > 0, "interp needs non-empty sizes")
        let ty = FlatTaps(Reference.interpTaps(inSize: x.h, outSize: outH, mode: mode, alignCorners: alignCorners,
                                               nearestStep: nearestStepH))
        let tx = FlatTaps(Reference.interpTaps(inSize: x.w, outSize: outW, mode: mode, alignCorners: alignCorners,
                                               nearestStep: nearestStepW))
        var out = Tensor(n: x.n, c: x.c, h: outH, w: outW)
        if out.count == 0 { return out }
        let planes = x.n * x.c, inPlane = x.h * x.w, outPlane = outH * outW
        let rows = Scratch(mode == .nearest ? 1 : x.h * outW)
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                ty.index.withUnsafeBufferPointer { yi in ty.weight.withUnsafeBufferPointer { yw in
                tx.index.withUnsafeBufferPointer { xi in tx.weight.withUnsafeBufferPointer { xw in
                    for p in 0..<planes {
                        let src = xp + p * inPlane, dst = op + p * outPlane
                        if mode == .nearest {
                            for oy in 0..<outH {
                                let srow = src + yi[oy] * x.w, drow = dst + oy * outW
                                for ox in 0..<outW { drow[ox] = srow[xi[ox]] }
                            }
                            continue
                        }
                        // Horizontal pass over every input row.
                        let t = tx.count
                        for iy in 0..<x.h {
                            let srow = src + iy * x.w, hrow = rows.base + iy * outW
                            for ox in 0..<outW {
                                var s: Float = 0
                                for k in 0..<t { s += srow[xi[ox * t + k]] * xw[ox * t + k] }
                                hrow[ox] = s
                            }
                        }
                        // Vertical pass: weighted sum of resampled rows.
                        let v = ty.count
                        for oy in 0..<outH {
                            let drow = dst + oy * outW
                            let r0 = UnsafePointer(rows.base + yi[oy * v] * outW), w0 = yw[oy * v]
                            for ox in 0..<outW { drow[ox] = r0[ox] * w0 }
                            for k in 1..<v {
                                let r = UnsafePointer(rows.base + yi[oy * v + k] * outW), wk = yw[oy * v + k]
                                for ox in 0..<outW { drow[ox] += r[ox] * wk }
                            }
                        }
                    }
                }}}}
            }
        }
        return out
    }
}

/// Interpolation taps with a fixed count per output sample, stored flat.
private struct FlatTaps {
    /// Taps per output sample.
    let count: Int
    /// Source index of tap `k` of sample `d` at `d * count + k`.
    var index: [Int] = []
    /// Weight of the same tap.
    var weight: [Float] = []

    init(_ taps: [[(Int, Float)]]) {
        count = taps.map(\.count).max() ?? 1
        index.reserveCapacity(taps.count * count)
        weight.reserveCapacity(taps.count * count)
        for t in taps {
            for k in 0..<count {
                index.append(k < t.count ? t[k].0 : t[0].0)
                weight.append(k < t.count ? t[k].1 : 0)
            }
        }
    }
}
