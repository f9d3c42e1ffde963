extension Reference {
    /// Direct 2-D convolution with bias and fused activation (ncnn Convolution / ConvolutionDepthWise).
    public static func convolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                                   activation: Activation = .none) -> Tensor {
        precondition(x.c == g.inChannels, "convolution expects \(g.inChannels) channels, got \(x.c)")
        precondition(weight.count == g.weightCount, "convolution weight count")
        let (oh, ow) = g.convOutputSize(h: x.h, w: x.w)
        var out = Tensor(n: x.n, c: g.outChannels, h: max(oh, 0), w: max(ow, 0))
        let icg = g.inChannels / g.groups, ocg = g.outChannels / g.groups
        for b in 0..<x.n {
            for oc in 0..<g.outChannels {
                let grp = oc / ocg
                for oy in 0..<out.h {
                    for ox in 0..<out.w {
                        var sum: Float = bias.isEmpty ? 0 : bias[oc]
                        for icl in 0..<icg {
                            let ic = grp * icg + icl
                            for ky in 0..<g.kernelH {
                                let iy = oy * g.strideH + ky * g.dilationH - g.padTop
                                for kx in 0..<g.kernelW {
                                    let ix = ox * g.strideW + kx * g.dilationW - g.padLeft
                                    let v = (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) ? x[b, ic, iy, ix] : g.padValue
                                    sum += v * weight[((oc * icg + icl) * g.kernelH + ky) * g.kernelW + kx]
                                }
                            }
                        }
                        out[b, oc, oy, ox] = activation.apply(sum, channel: oc)
                    }
                }
            }
        }
        return out
    }
}
