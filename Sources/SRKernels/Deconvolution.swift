import SRTensor

extension Kernels {
    /// 2-D transposed convolution (ncnn Deconvolution / DeconvolutionDepthWise).
    ///
    /// Per group: weights are repacked to `(outC_g * kh * kw) x inC_g`, one `cblas_sgemm` against a
    /// block of input rows gives every kernel tap's contribution, col2im scatters them into the full
    /// (uncropped) output, and a last pass crops the padding and adds bias + activation. Input rows
    /// are blocked so the column buffer stays within `columnBufferBudget`. Scratch is per call.
    public static func deconvolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                                     activation: Activation = .none, context: ExecutionContext = .serial) -> Tensor {
        deconvolution(x, weight: weight, bias: bias, geometry: g, activation: activation, columnBudget: columnBufferBudget,
                      context: context)
    }

    /// `deconvolution` with an explicit column-buffer budget in floats (tests use tiny budgets).
    static func deconvolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                              activation: Activation, columnBudget: Int, context: ExecutionContext = .serial) -> Tensor {
        precondition(x.c == g.inChannels, "deconvolution expects \(g.inChannels) channels, got \(x.c)")
        precondition(weight.count == g.weightCount, "deconvolution weight count")
        precondition(bias.isEmpty || bias.count == g.outChannels, "deconvolution bias count")
        precondition(g.groups > 0 && g.inChannels % g.groups == 0 && g.outChannels % g.groups == 0, "deconvolution groups")
        let (oh, ow) = g.deconvOutputSize(h: x.h, w: x.w)
        var out = Tensor.pooled(n: x.n, c: g.outChannels, h: max(oh, 0), w: max(ow, 0))
        if out.count == 0 || x.count == 0 { return out }
        let icg = g.inChannels / g.groups, ocg = g.outChannels / g.groups
        let kk = g.kernelH * g.kernelW, m = ocg * kk
        let fullH = (x.h - 1) * g.strideH + g.dilationH * (g.kernelH - 1) + 1 + g.outputPadBottom
        let fullW = (x.w - 1) * g.strideW + g.dilationW * (g.kernelW - 1) + 1 + g.outputPadRight
        let fullPlane = fullH * fullW, inPlane = x.h * x.w
        let rowsPerBlock = max(1, min(x.h, columnBudget / max(m * x.w, 1)))
        let packed = Scratch(g.weightCount)
        let col = Scratch(m * rowsPerBlock * x.w)
        let full = Scratch(ocg * fullPlane)
        x.data.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    out.data.withUnsafeMutableBufferPointer { ob in
                        guard let xp = xb.baseAddress, let wp = wb.baseAddress, let op = ob.baseAddress else { return }
                        // packed[grp][(oc * kk + k) * icg + ic] = weight[((grp * ocg + oc) * icg + ic) * kk + k]
                        for grp in 0..<g.groups {
                            let src = wp + grp * ocg * icg * kk, dst = packed.base + grp * m * icg
                            for oc in 0..<ocg {
                                for ic in 0..<icg {
                                    for k in 0..<kk { dst[(oc * kk + k) * icg + ic] = src[(oc * icg + ic) * kk + k] }
                                }
                            }
                        }
                        for b in 0..<x.n {
                            for grp in 0..<g.groups {
                                full.base.update(repeating: 0, count: ocg * fullPlane)
                                let xg = xp + (b * g.inChannels + grp * icg) * inPlane
                                var iy0 = 0
                                while iy0 < x.h {
                                    let iy1 = min(x.h, iy0 + rowsPerBlock)
                                    let cols = (iy1 - iy0) * x.w
                                    context.sgemm(m: m, n: cols, k: icg, packed.base + grp * m * icg, lda: icg,
                                                  xg + iy0 * x.w, ldb: inPlane, col.base, ldc: cols)
                                    col2im(col.base, rows: iy0..<iy1, w: x.w, ocg: ocg, g: g, into: full.base,
                                           fullH: fullH, fullW: fullW)
                                    iy0 = iy1
                                }
                                for oc in 0..<ocg {
                                    let channel = grp * ocg + oc
                                    let dst = op + (b * g.outChannels + channel) * oh * ow
                                    let src = full.base + oc * fullPlane + g.padTop * fullW + g.padLeft
                                    for y in 0..<oh { (dst + y * ow).update(from: src + y * fullW, count: ow) }
                                    Epilogue.apply(dst, count: oh * ow, bias: Epilogue.bias(bb, channel),
                                                   activation: activation, channel: channel, isa: context.isa)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Adds the column block (rows `(oc, ky, kx)`, columns = input pixels of `rows`) into `full`.
    private static func col2im(_ col: UnsafePointer<Float>, rows: Range<Int>, w: Int, ocg: Int, g: ConvGeometry,
                               into full: UnsafeMutablePointer<Float>, fullH: Int, fullW: Int) {
        let cols = rows.count * w, sw = g.strideW
        var src = col
        for oc in 0..<ocg {
            let plane = full + oc * fullH * fullW
            for ky in 0..<g.kernelH {
                for kx in 0..<g.kernelW {
                    for iy in rows {
                        let dst = plane + (iy * g.strideH + ky * g.dilationH) * fullW + kx * g.dilationW
                        let s = src + (iy - rows.lowerBound) * w
                        if sw == 1 {
                            for ix in 0..<w { dst[ix] += s[ix] }
                        } else {
                            for ix in 0..<w { dst[ix * sw] += s[ix] }
                        }
                    }
                    src += cols
                }
            }
        }
    }
}
