import SRTensor

extension Kernels {
    /// Max or average pooling, windowed or global (ncnn Pooling), as `Reference.pooling`.
    public static func pooling(_ x: Tensor, _ g: PoolingGeometry) -> Tensor {
        let (oh, ow) = g.outputSize(h: x.h, w: x.w)
        var out = Tensor.pooled(n: x.n, c: x.c, h: max(oh, 0), w: max(ow, 0))
        if out.count == 0 || x.count == 0 { return out }
        let planes = x.n * x.c, plane = x.h * x.w
        let p = g.effectivePadding(h: x.h, w: x.w)
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                for q in 0..<planes {
                    let src = xp + q * plane
                    if g.global {
                        op[q] = g.kind == .max ? planeMax(src, plane) : planeSum(src, plane) / Float(plane)
                        continue
                    }
                    let dst = op + q * oh * ow
                    for oy in 0..<oh {
                        let y0 = oy * g.strideH - p.top
                        let kyLo = max(0, -y0), kyHi = min(g.kernelH, x.h - y0)
                        for ox in 0..<ow {
                            let x0 = ox * g.strideW - p.left
                            let kxLo = max(0, -x0), kxHi = min(g.kernelW, x.w - x0)
                            var acc: Float = g.kind == .max ? -Float.greatestFiniteMagnitude : 0
                            if kyLo < kyHi && kxLo < kxHi {
                                for ky in kyLo..<kyHi {
                                    let row = src + (y0 + ky) * x.w + x0
                                    if g.kind == .max {
                                        for kx in kxLo..<kxHi { acc = Swift.max(acc, row[kx]) }
                                    } else {
                                        for kx in kxLo..<kxHi { acc += row[kx] }
                                    }
                                }
                            }
                            if g.kind == .average {
                                let cells = max(kyHi - kyLo, 0) * max(kxHi - kxLo, 0)
                                acc /= Float(g.countIncludePad ? g.kernelH * g.kernelW : max(cells, 1))
                            }
                            dst[oy * ow + ox] = acc
                        }
                    }
                }
            }
        }
        return out
    }

    private static func planeMax(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var m = p[0]
        for i in 0..<count { m = Swift.max(m, p[i]) }
        return m
    }

    private static func planeSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var s: Float = 0
        for i in 0..<count { s += p[i] }
        return s
    }
}
