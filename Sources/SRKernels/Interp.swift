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
        var out = Tensor.pooled(n: x.n, c: x.c, h: outH, w: outW)
        if out.count == 0 { return out }
        let planes = x.n * x.c, inPlane = x.h * x.w, outPlane = outH * outW
        let rows = Scratch(mode == .nearest ? 1 : x.h * outW)
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                for p in 0..<planes {
                    let plane = Plane(src: xp + p * inPlane, h: x.h, w: x.w, dst: op + p * outPlane, outH: outH, outW: outW)
                    if mode == .nearest {
                        plane.nearest(ty, tx)
                    } else {
                        plane.separable(ty, tx, rows: rows.base)
                    }
                }
            }
        }
        return out
    }
}

/// One channel plane being resampled.
private struct Plane {
    let src: UnsafePointer<Float>
    let h: Int, w: Int
    let dst: UnsafeMutablePointer<Float>
    let outH: Int, outW: Int

    /// Copies the single tap of every output sample.
    func nearest(_ ty: FlatTaps, _ tx: FlatTaps) {
        ty.index.withUnsafeBufferPointer { yi in
            tx.index.withUnsafeBufferPointer { xi in
                for oy in 0..<outH {
                    let srow = src + yi[oy] * w, drow = dst + oy * outW
                    for ox in 0..<outW { drow[ox] = srow[xi[ox]] }
                }
            }
        }
    }

    /// Horizontal pass over every input row into `rows` (`h x outW`), then each output row as the
    /// tap-weighted sum of resampled rows.
    func separable(_ ty: FlatTaps, _ tx: FlatTaps, rows: UnsafeMutablePointer<Float>) {
        tx.index.withUnsafeBufferPointer { xi in
            tx.weight.withUnsafeBufferPointer { xw in
                let t = tx.count
                for iy in 0..<h {
                    let srow = src + iy * w, hrow = rows + iy * outW
                    for ox in 0..<outW {
                        var s: Float = 0
                        for k in 0..<t { s += srow[xi[ox * t + k]] * xw[ox * t + k] }
                        hrow[ox] = s
                    }
                }
            }
        }
        ty.index.withUnsafeBufferPointer { yi in
            ty.weight.withUnsafeBufferPointer { yw in
                let v = ty.count
                for oy in 0..<outH {
                    let drow = dst + oy * outW
                    let r0 = UnsafePointer(rows + yi[oy * v] * outW), w0 = yw[oy * v]
                    for ox in 0..<outW { drow[ox] = r0[ox] * w0 }
                    for k in 1..<max(v, 1) {
                        let r = UnsafePointer(rows + yi[oy * v + k] * outW), wk = yw[oy * v + k]
                        for ox in 0..<outW { drow[ox] += r[ox] * wk }
                    }
                }
            }
        }
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
