#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Reference {
    /// Resizes every channel to `outH x outW` (ncnn Interp with `output_height`/`output_width` set).
    ///
    /// The semantics follow ncnn `src/layer/interp.cpp`:
    /// - nearest: `src = min(Int(Float(dst) * (Float(in) / Float(out))), in - 1)` (the step is
    ///   rounded to Float first, exactly as ncnn does);
    /// - bilinear (`linear_coeffs`): `src = Float((dst + 0.5) * in/out - 0.5)` computed in Double,
    ///   or `dst * (in-1)/(out-1)` with `alignCorners`; below 0 the left tap takes the whole weight,
    ///   at or beyond `in - 1` the right one does;
    /// - bicubic (`cubic_coeffs`): the same coordinate, Keys kernel with A = -0.75, taps clamped to
    ///   the edge (identical to ncnn's border folding for inputs of 4 or more pixels; ncnn reads
    ///   out of bounds below that, here the taps are clamped).
    ///
    /// When ncnn is given scale factors instead of a size, use
    /// `interp(_:mode:heightScale:widthScale:alignCorners:)`, which computes the size as ncnn does
    /// (`outh = Int(Float(h) * height_scale)`, `outw = Int(Float(w) * width_scale)`) and uses
    /// `1 / scale` as the nearest-neighbour step.
    public static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool = false) -> Tensor {
        interp(x, mode: mode, outH: outH, outW: outW, alignCorners: alignCorners,
               nearestStepH: Float(x.h) / Float(outH), nearestStepW: Float(x.w) / Float(outW))
    }

    /// Resizes by scale factors like ncnn Interp whose param has `height_scale`/`width_scale` and
    /// no output size: `outH = Int(Float(x.h) * heightScale)`, `outW = Int(Float(x.w) * widthScale)`;
    /// nearest sampling steps by `1 / scale`.
    public static func interp(_ x: Tensor, mode: InterpMode, heightScale: Float, widthScale: Float,
                              alignCorners: Bool = false) -> Tensor {
        let (outH, outW) = interpOutputSize(h: x.h, w: x.w, heightScale: heightScale, widthScale: widthScale)
        return interp(x, mode: mode, outH: outH, outW: outW, alignCorners: alignCorners,
                      nearestStepH: 1 / heightScale, nearestStepW: 1 / widthScale)
    }

    /// Output size ncnn Interp computes from scale factors (`Int(Float(h) * scale)`).
    public static func interpOutputSize(h: Int, w: Int, heightScale: Float, widthScale: Float) -> (h: Int, w: Int) {
        (Int(Float(h) * heightScale), Int(Float(w) * widthScale))
    }

    static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool,
                       nearestStepH: Float, nearestStepW: Float) -> Tensor {
        precondition(outH > 0 && outW > 0 && x.h > 0 && x.w > 0, "interp needs non-empty sizes")
        let ty = interpTaps(inSize: x.h, outSize: outH, mode: mode, alignCorners: alignCorners, nearestStep: nearestStepH)
        let tx = interpTaps(inSize: x.w, outSize: outW, mode: mode, alignCorners: alignCorners, nearestStep: nearestStepW)
        var out = Tensor(n: x.n, c: x.c, h: outH, w: outW)
        for b in 0..<x.n {
            for ch in 0..<x.c {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        var s: Float = 0
                        for (iy, wy) in ty[oy] {
                            var row: Float = 0
                            for (ix, wx) in tx[ox] { row += x[b, ch, iy, ix] * wx }
                            s += row * wy
                        }
                        out[b, ch, oy, ox] = s
                    }
                }
            }
        }
        return out
    }

    /// Source indices and weights for each output coordinate along one axis (output-size form:
    /// the nearest step is `Float(inSize) / Float(outSize)`).
    public static func interpTaps(inSize: Int, outSize: Int, mode: InterpMode, alignCorners: Bool) -> [[(Int, Float)]] {
        interpTaps(inSize: inSize, outSize: outSize, mode: mode, alignCorners: alignCorners,
                   nearestStep: Float(inSize) / Float(outSize))
    }

    /// Source indices and weights for each output coordinate along one axis; `nearestStep` is the
    /// source distance between neighbouring output samples in nearest mode.
    public static func interpTaps(inSize: Int, outSize: Int, mode: InterpMode, alignCorners: Bool,
                                  nearestStep: Float) -> [[(Int, Float)]] {
        var taps: [[(Int, Float)]] = []
        taps.reserveCapacity(outSize)
        let scale: Double = alignCorners && outSize > 1
            ? Double(inSize - 1) / Double(outSize - 1) : Double(inSize) / Double(outSize)
        for d in 0..<outSize {
            let coordinate = Float(alignCorners ? Double(d) * scale : (Double(d) + 0.5) * scale - 0.5)
            switch mode {
            case .nearest:
                taps.append([(min(Int(Float(d) * nearestStep), inSize - 1), 1)])
            case .bilinear:
                var s = Int(floorf(coordinate))
                var f = coordinate - Float(s)
                if s < 0 { s = 0; f = 0 }
                if s >= inSize - 1 { s = inSize - 2; f = 1 }
                taps.append(inSize > 1 ? [(s, 1 - f), (s + 1, f)] : [(0, 1)])
            case .bicubic:
                let s = Int(floorf(coordinate))
                let ws = cubicCoefficients(coordinate - Float(s))
                taps.append((0..<4).map { (min(max(s - 1 + $0, 0), inSize - 1), ws[$0]) })
            }
        }
        return taps
    }

    /// Keys cubic weights (A = -0.75) of the four taps at offsets -1, 0, 1, 2 for fraction `f`
    /// (ncnn `interpolate_cubic`).
    public static func cubicCoefficients(_ f: Float) -> [Float] {
        let a: Float = -0.75
        let f0 = f + 1, f1 = f, f2 = 1 - f
        let c0 = a * f0 * f0 * f0 - 5 * a * f0 * f0 + 8 * a * f0 - 4 * a
        let c1 = (a + 2) * f1 * f1 * f1 - (a + 3) * f1 * f1 + 1
        let c2 = (a + 2) * f2 * f2 * f2 - (a + 3) * f2 * f2 + 1
        return [c0, c1, c2, 1 - c0 - c1 - c2]
    }
}
