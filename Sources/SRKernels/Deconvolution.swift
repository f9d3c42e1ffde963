import SRTensor

extension Kernels {
    /// 2-D transposed convolution (ncnn Deconvolution / DeconvolutionDepthWise).
    ///
    /// Per group: weights are repacked to `(outC_g * kh * kw) x inC_g`, one `cblas_sgemm` against a
    /// block of input rows gives every kernel tap's contribution, and `ConvGeometry.col2im` (the
    /// adjoint of the convolution from the output back to the input) adds them into the output,
    /// dropping what falls into the cropped padding; a last pass adds bias + activation. Input rows
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
        let outPlane = oh * ow, inPlane = x.h * x.w
        let rowsPerBlock = max(1, min(x.h, columnBudget / max(m * x.w, 1)))
        let scatter = g.scatterGeometry
        let packed = Scratch(g.weightCount)
        let col = Scratch(m * rowsPerBlock * x.w)
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
                                let outGroup = op + (b * g.outChannels + grp * ocg) * outPlane
                                outGroup.update(repeating: 0, count: ocg * outPlane)
                                let xg = xp + (b * g.inChannels + grp * icg) * inPlane
                                var iy0 = 0
                                while iy0 < x.h {
                                    let iy1 = min(x.h, iy0 + rowsPerBlock)
                                    let cols = (iy1 - iy0) * x.w
                                    context.sgemm(m: m, n: cols, k: icg, packed.base + grp * m * icg, lda: icg,
                                                  xg + iy0 * x.w, ldb: inPlane, col.base, ldc: cols)
                                    scatter.col2im(col.base, h: oh, w: ow, rows: iy0..<iy1, ow: x.w, into: outGroup)
                                    iy0 = iy1
                                }
                                for oc in 0..<ocg {
                                    let channel = grp * ocg + oc
                                    Epilogue.apply(outGroup + oc * outPlane, count: outPlane, bias: Epilogue.bias(bb, channel),
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
}

extension ConvGeometry {
    /// The convolution whose adjoint scatters one group of this deconvolution: from the group's
    /// `outChannels / groups` output planes back to its input, same kernel, stride, dilation and
    /// top/left crop (so `col2im` with it adds the columns into the cropped output).
    var scatterGeometry: ConvGeometry {
        var s = ConvGeometry(inChannels: outChannels / groups, outChannels: inChannels / groups, kernel: 1)
        s.kernelH = kernelH; s.kernelW = kernelW; s.strideH = strideH; s.strideW = strideW
        s.dilationH = dilationH; s.dilationW = dilationW; s.padTop = padTop; s.padLeft = padLeft
        return s
    }
}
