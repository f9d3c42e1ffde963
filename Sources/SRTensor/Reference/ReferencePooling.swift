extension Reference {
    /// Max or average pooling, windowed or global (ncnn Pooling). Global pooling gives `c x 1 x 1`.
    ///
    /// Windowed pooling pads as `g.padMode` says (ncnn `pad_mode`; `.full` adds tail padding at the
    /// bottom/right so the last partial window is kept). Padded cells never win a max; average
    /// pooling divides by the whole window (`countIncludePad`, tail padding included, as ncnn) or
    /// by the number of real input cells in the window.
    public static func pooling(_ x: Tensor, _ g: PoolingGeometry) -> Tensor {
        if g.global {
            var out = Tensor(n: x.n, c: x.c, h: 1, w: 1)
            for b in 0..<x.n {
                for ch in 0..<x.c {
                    var acc: Float = g.kind == .max ? x[b, ch, 0, 0] : 0
                    for y in 0..<x.h {
                        for xx in 0..<x.w { acc = g.kind == .max ? max(acc, x[b, ch, y, xx]) : acc + x[b, ch, y, xx] }
                    }
                    out[b, ch, 0, 0] = g.kind == .max ? acc : acc / Float(x.h * x.w)
                }
            }
            return out
        }
        let p = g.effectivePadding(h: x.h, w: x.w)
        let (oh, ow) = g.outputSize(h: x.h, w: x.w)
        var out = Tensor(n: x.n, c: x.c, h: oh, w: ow)
        for b in 0..<x.n {
            for ch in 0..<x.c {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var acc: Float = g.kind == .max ? -Float.greatestFiniteMagnitude : 0
                        var cnt = 0
                        for ky in 0..<g.kernelH {
                            for kx in 0..<g.kernelW {
                                let iy = oy * g.strideH + ky - p.top, ix = ox * g.strideW + kx - p.left
                                if iy < 0 || iy >= x.h || ix < 0 || ix >= x.w { continue }
                                cnt += 1
                                acc = g.kind == .max ? max(acc, x[b, ch, iy, ix]) : acc + x[b, ch, iy, ix]
                            }
                        }
                        let divisor = g.countIncludePad ? g.kernelH * g.kernelW : max(cnt, 1)
                        out[b, ch, oy, ox] = g.kind == .max ? acc : acc / Float(divisor)
                    }
                }
            }
        }
        return out
    }
}
