extension Reference {
    /// Direct 2-D transposed convolution (ncnn Deconvolution / DeconvolutionDepthWise).
    ///
    /// Every input pixel (iy, ix) of channel `ic` adds `x * w[oc][ic % icg][ky][kx]` at
    /// `(iy*strideH + ky*dilationH, ix*strideW + kx*dilationW)` of a full output of
    /// `(h-1)*stride + dilation*(k-1) + 1 + outputPad` rows/columns (kernel not flipped, weights
    /// `[outC][inC/groups][kh][kw]`, group `g` maps input channels `g*icg..<(g+1)*icg` to output
    /// channels `g*ocg..<(g+1)*ocg`); the full output starts at the bias, then `padTop`/`padLeft`...
    /// are cropped (ncnn `cut_padding`) and the activation applied.
    public static func deconvolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                                     activation: Activation = .none) -> Tensor {
        precondition(x.c == g.inChannels, "deconvolution expects \(g.inChannels) channels, got \(x.c)")
        precondition(weight.count == g.weightCount, "deconvolution weight count")
        let ekh = g.dilationH * (g.kernelH - 1) + 1, ekw = g.dilationW * (g.kernelW - 1) + 1
        let fullH = (x.h - 1) * g.strideH + ekh + g.outputPadBottom
        let fullW = (x.w - 1) * g.strideW + ekw + g.outputPadRight
        var full = Tensor(n: x.n, c: g.outChannels, h: fullH, w: fullW)
        let icg = g.inChannels / g.groups, ocg = g.outChannels / g.groups
        for b in 0..<x.n {
            for oc in 0..<g.outChannels {
                let grp = oc / ocg
                let bv: Float = bias.isEmpty ? 0 : bias[oc]
                for y in 0..<fullH { for xx in 0..<fullW { full[b, oc, y, xx] = bv } }
                for icl in 0..<icg {
                    let ic = grp * icg + icl
                    for iy in 0..<x.h {
                        for ix in 0..<x.w {
                            let v = x[b, ic, iy, ix]
                            for ky in 0..<g.kernelH {
                                for kx in 0..<g.kernelW {
                                    let wv = weight[((oc * icg + icl) * g.kernelH + ky) * g.kernelW + kx]
                                    full[b, oc, iy * g.strideH + ky * g.dilationH, ix * g.strideW + kx * g.dilationW] += v * wv
                                }
                            }
                        }
                    }
                }
            }
        }
        let (oh, ow) = g.deconvOutputSize(h: x.h, w: x.w)
        var out = Tensor(n: x.n, c: g.outChannels, h: oh, w: ow)
        for b in 0..<x.n {
            for oc in 0..<g.outChannels {
                for y in 0..<oh {
                    for xx in 0..<ow {
                        out[b, oc, y, xx] = activation.apply(full[b, oc, y + g.padTop, xx + g.padLeft], channel: oc)
                    }
                }
            }
        }
        return out
    }
}
