extension Reference {
    /// Depth-to-space rearrangement in PyTorch order (ncnn PixelShuffle mode 0):
    /// `out[c][y*r+i][x*r+j] = in[c*r*r + i*r + j][y][x]`.
    public static func pixelShuffle(_ x: Tensor, factor r: Int) -> Tensor {
        pixelShuffle(x, factor: r, mode: .channelMajor)
    }

    /// Depth-to-space in either ncnn PixelShuffle channel order; `.offsetMajor` (mode 1) reads
    /// `in[(i*r + j)*outC + c]`.
    public static func pixelShuffle(_ x: Tensor, factor r: Int, mode: PixelShuffleMode) -> Tensor {
        precondition(r > 0 && x.c % (r * r) == 0, "pixel shuffle needs channels divisible by \(r * r)")
        let oc = x.c / (r * r)
        var out = Tensor(n: x.n, c: oc, h: x.h * r, w: x.w * r)
        for b in 0..<x.n {
            for c in 0..<oc {
                for i in 0..<r {
                    for j in 0..<r {
                        let q = mode == .channelMajor ? c * r * r + i * r + j : (i * r + j) * oc + c
                        for y in 0..<x.h {
                            for xx in 0..<x.w { out[b, c, y * r + i, xx * r + j] = x[b, q, y, xx] }
                        }
                    }
                }
            }
        }
        return out
    }
}
