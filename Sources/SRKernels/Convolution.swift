import SRTensor

extension Kernels {
    /// Upper bound, in floats, of the im2col / col2im scratch one convolution call allocates
    /// (8 Mi floats = 32 MB); larger images are processed in blocks of output rows.
    public static let columnBufferBudget = 8 * 1024 * 1024

    /// 2-D convolution with bias and fused activation (ncnn Convolution / ConvolutionDepthWise).
    ///
    /// Strategy: 1x1 stride-1 unpadded kernels are one GEMM straight over the input planes;
    /// depthwise kernels (one input and one output channel per group) run a direct row loop over a
    /// padded copy of each plane; everything else is `ConvGeometry.im2col` + `cblas_sgemm` per group,
    /// blocked over output rows so the column buffer stays within `columnBufferBudget`. Bias and activation are
    /// applied in one pass over each freshly computed block. Scratch is allocated per call. GEMMs
    /// are split over `context.blasThreads`.
    public static func convolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                                   activation: Activation = .none, context: ExecutionContext = .serial) -> Tensor {
        convolution(x, weight: weight, bias: bias, geometry: g, activation: activation, columnBudget: columnBufferBudget,
                    context: context)
    }

    /// `convolution` with an explicit column-buffer budget in floats (tests use tiny budgets).
    static func convolution(_ x: Tensor, weight: [Float], bias: [Float], geometry g: ConvGeometry,
                            activation: Activation, columnBudget: Int, context: ExecutionContext = .serial) -> Tensor {
        precondition(x.c == g.inChannels, "convolution expects \(g.inChannels) channels, got \(x.c)")
        precondition(weight.count == g.weightCount, "convolution weight count")
        precondition(bias.isEmpty || bias.count == g.outChannels, "convolution bias count")
        precondition(g.groups > 0 && g.inChannels % g.groups == 0 && g.outChannels % g.groups == 0, "convolution groups")
        let (oh, ow) = g.convOutputSize(h: x.h, w: x.w)
        var out = Tensor.pooled(n: x.n, c: g.outChannels, h: max(oh, 0), w: max(ow, 0))
        if out.count == 0 || x.count == 0 { return out }
        x.data.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    out.data.withUnsafeMutableBufferPointer { ob in
                        guard let xp = xb.baseAddress, let wp = wb.baseAddress, let op = ob.baseAddress else { return }
                        let job = ConvJob(x: xp, n: x.n, h: x.h, w: x.w, weight: wp, bias: bb, out: op, oh: oh, ow: ow,
                                          g: g, activation: activation, columnBudget: columnBudget, context: context)
                        if g.groups == g.inChannels && g.groups == g.outChannels {
                            job.depthwise()
                        } else if g.isPointwise {
                            job.pointwise()
                        } else {
                            job.im2colGEMM()
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The pointers and sizes of one convolution call.
private struct ConvJob {
    let x: UnsafePointer<Float>
    let n: Int, h: Int, w: Int
    let weight: UnsafePointer<Float>
    let bias: UnsafeBufferPointer<Float>
    let out: UnsafeMutablePointer<Float>
    let oh: Int, ow: Int
    let g: ConvGeometry
    let activation: Activation
    let columnBudget: Int
    let context: ExecutionContext

    var icg: Int { g.inChannels / g.groups }
    var ocg: Int { g.outChannels / g.groups }

    /// Bias + activation over `count` outputs of channel `oc` starting at `p`.
    func finish(_ p: UnsafeMutablePointer<Float>, count: Int, channel oc: Int) {
        Epilogue.apply(p, count: count, bias: Epilogue.bias(bias, oc), activation: activation, channel: oc, isa: context.isa)
    }

    /// 1x1, stride 1, no padding: out_g = W_g (ocg x icg) * X_g (icg x h*w).
    func pointwise() {
        let plane = h * w
        for b in 0..<n {
            for grp in 0..<g.groups {
                let c = out + (b * g.outChannels + grp * ocg) * plane
                context.sgemm(m: ocg, n: plane, k: icg, weight + grp * ocg * icg, lda: icg,
                              x + (b * g.inChannels + grp * icg) * plane, ldb: plane, c, ldc: plane)
                for oc in 0..<ocg { finish(c + oc * plane, count: plane, channel: grp * ocg + oc) }
            }
        }
    }

    /// General case: im2col over a block of output rows, then one GEMM per group and block.
    func im2colGEMM() {
        let k = g.columnRows
        let outPlane = oh * ow, inPlane = h * w
        let rowsPerBlock = max(1, min(oh, columnBudget / max(k * ow, 1)))
        let col = Scratch(k * rowsPerBlock * ow)
        for b in 0..<n {
            for grp in 0..<g.groups {
                let xg = x + (b * g.inChannels + grp * icg) * inPlane
                var oy0 = 0
                while oy0 < oh {
                    let oy1 = min(oh, oy0 + rowsPerBlock)
                    let cols = (oy1 - oy0) * ow
                    g.im2col(xg, h: h, w: w, rows: oy0..<oy1, ow: ow, into: col.base)
                    let c = out + (b * g.outChannels + grp * ocg) * outPlane + oy0 * ow
                    context.sgemm(m: ocg, n: cols, k: k, weight + grp * ocg * k, lda: k, col.base, ldb: cols, c, ldc: outPlane)
                    for oc in 0..<ocg { finish(c + oc * outPlane, count: cols, channel: grp * ocg + oc) }
                    oy0 = oy1
                }
            }
        }
    }

    /// One input and one output channel per group: direct accumulation over a padded plane copy.
    func depthwise() {
        let kh = g.kernelH, kw = g.kernelW, sh = g.strideH, sw = g.strideW
        let ph = h + g.padTop + g.padBottom, pw = w + g.padLeft + g.padRight
        let padded = Scratch(ph * pw)
        padded.base.update(repeating: g.padValue, count: ph * pw)
        for b in 0..<n {
            for ch in 0..<g.inChannels {
                let src = x + (b * g.inChannels + ch) * h * w
                for y in 0..<h { (padded.base + (y + g.padTop) * pw + g.padLeft).update(from: src + y * w, count: w) }
                let dst = out + (b * g.outChannels + ch) * oh * ow
                let kp = weight + ch * kh * kw
                for oy in 0..<oh {
                    let orow = dst + oy * ow
                    orow.update(repeating: 0, count: ow)
                    for ky in 0..<kh {
                        let srow = UnsafePointer(padded.base + (oy * sh + ky * g.dilationH) * pw)
                        for kx in 0..<kw {
                            let wv = kp[ky * kw + kx]
                            let s = srow + kx * g.dilationW
                            if sw == 1 {
                                for ox in 0..<ow { orow[ox] += wv * s[ox] }
                            } else {
                                for ox in 0..<ow { orow[ox] += wv * s[ox * sw] }
                            }
                        }
                    }
                }
                finish(dst, count: oh * ow, channel: ch)
            }
        }
    }
}
