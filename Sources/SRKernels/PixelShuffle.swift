import SRTensor

extension Kernels {
    /// Depth-to-space in PyTorch order (ncnn PixelShuffle mode 0), as `Reference.pixelShuffle`.
    public static func pixelShuffle(_ x: Tensor, factor r: Int) -> Tensor {
        pixelShuffle(x, factor: r, mode: .channelMajor)
    }

    /// Depth-to-space in either ncnn PixelShuffle channel order (see `Reference.pixelShuffle`).
    public static func pixelShuffle(_ x: Tensor, factor r: Int, mode: PixelShuffleMode) -> Tensor {
        precondition(r > 0 && x.c % (r * r) == 0, "pixel shuffle needs channels divisible by \(r * r)")
        let oc = x.c / (r * r), h = x.h, w = x.w, ow = w * r
        var out = Tensor.pooled(n: x.n, c: oc, h: h * r, w: ow)
        if out.count == 0 { return out }
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                for b in 0..<x.n {
                    for c in 0..<oc {
                        let dst = op + (b * oc + c) * h * r * ow
                        for i in 0..<r {
                            for j in 0..<r {
                                let q = mode == .channelMajor ? c * r * r + i * r + j : (i * r + j) * oc + c
                                let src = xp + (b * x.c + q) * h * w
                                for y in 0..<h {
                                    let srow = src + y * w, drow = dst + (y * r + i) * ow + j
                                    for xx in 0..<w { drow[xx * r] = srow[xx] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
