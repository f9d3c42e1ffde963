#if canImport(Glibc)
import Glibc
#endif

extension Reference {
    /// Resizes every channel to `outH x outW` (ncnn Interp conventions).
    ///
    /// Nearest: `src = min(floor(dst * in / out), in - 1)`. Bilinear and bicubic: half-pixel
    /// centres (`src = (dst + 0.5) * in / out - 0.5`, or `dst * (in-1)/(out-1)` with
    /// `alignCorners`), taps clamped to the edge, bicubic with A = -0.75.
    public static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool = false) -> Tensor {
        let ty = interpTaps(inSize: x.h, outSize: outH, mode: mode, alignCorners: alignCorners)
        let tx = interpTaps(inSize: x.w, outSize: outW, mode: mode, alignCorners: alignCorners)
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

    /// Source indices and weights for each output coordinate along one axis.
    public static func interpTaps(inSize: Int, outSize: Int, mode: InterpMode, alignCorners: Bool) -> [[(Int, Float)]] {
        var taps: [[(Int, Float)]] = []
        taps.reserveCapacity(outSize)
        let scale: Double = alignCorners && outSize > 1 ? Double(inSize - 1) / Double(outSize - 1) : Double(inSize) / Double(outSize)
        for d in 0..<outSize {
            switch mode {
            case .nearest:
                taps.append([(min(Int(Float(d) * Float(inSize) / Float(outSize)), inSize - 1), 1)])
            case .bilinear:
                var f = Float(alignCorners ? Double(d) * scale : (Double(d) + 0.5) * scale - 0.5)
                var s = Int(floorf(f))
                f -= Float(s)
                if s < 0 { s = 0; f = 0 }
                if s >= inSize - 1 { s = max(inSize - 2, 0); f = inSize > 1 ? 1 : 0 }
                taps.append(inSize > 1 ? [(s, 1 - f), (s + 1, f)] : [(0, 1)])
            case .bicubic:
                var f = Float(alignCorners ? Double(d) * scale : (Double(d) + 0.5) * scale - 0.5)
                let s = Int(floorf(f))
                f -= Float(s)
                let a: Float = -0.75
                let c0 = ((a * (f + 1) - 5 * a) * (f + 1) + 8 * a) * (f + 1) - 4 * a
                let c1 = ((a + 2) * f - (a + 3)) * f * f + 1
                let c2 = ((a + 2) * (1 - f) - (a + 3)) * (1 - f) * (1 - f) + 1
                let c3 = 1 - c0 - c1 - c2
                let ws = [c0, c1, c2, c3]
                taps.append((0..<4).map { (min(max(s - 1 + $0, 0), inSize - 1), ws[$0]) })
            }
        }
        return taps
    }
}
