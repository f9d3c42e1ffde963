extension Reference {
    /// Max or average pooling, windowed or global (ncnn Pooling). Global pooling gives `c x 1 x 1`.
    public static func pooling(_ x: Tensor, _ g: PoolingGeometry) -> Tensor {
        if g.global {
            var out = Tensor(n: x.n, c: x.c, h: 1, w: 1)
            for b in 0..<x.n {
                for ch in 0..<x.c {
                    var acc: Float = g.kind == .max ? -Float.infinity : 0
                    for y in 0..<x.h {
                        for xx in 0..<x.w { acc = g.kind == .max ? max(acc, x[b, ch, y, xx]) : acc + x[b, ch, y, xx] }
                    }
                    out[b, ch, 0, 0] = g.kind == .max ? acc : acc / Float(x.h * x.w)
                }
            }
            return out
        }
        let oh = (x.h + g.padTop + g.padBottom - g.kernelH) / g.strideH + 1
        let ow = (x.w + g.padLeft + g.padRight - g.kernelW) / g.strideW + 1
        var out = Tensor(n: x.n, c: x.c, h: oh, w: ow)
        for b in 0..<x.n {
            for ch in 0..<x.c {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var acc: Float = g.kind == .max ? -Float.infinity : 0
                        var cnt = 0
                        for ky in 0..<g.kernelH {
                            for kx in 0..<g.kernelW {
                                let iy = oy * g.strideH + ky - g.padTop, ix = ox * g.strideW + kx - g.padLeft
                                if iy < 0 || iy >= x.h || ix < 0 || ix >= x.w {
                                    if g.countIncludePad { cnt += 1 }
                                    continue
                                }
                                cnt += 1
                                acc = g.kind == .max ? max(acc, x[b, ch, iy, ix]) : acc + x[b, ch, iy, ix]
                            }
                        }
                        out[b, ch, oy, ox] = g.kind == .max ? acc : acc / Float(max(cnt, 1))
                    }
                }
            }
        }
        return out
    }
}
