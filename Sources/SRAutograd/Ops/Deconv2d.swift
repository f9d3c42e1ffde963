import SRKernels
import SRTensor

/// Transposed convolution (deconvolution), the adjoint of `conv2d`, with optional bias.
///
/// Weight `[in][out][k][k]` (PyTorch's ConvTranspose2d order) as an `in x out x k x k` tensor.
/// Output side `(H - 1) * stride - 2 * pad + k`. Per image, batch in parallel: forward is a GEMM
/// and the kernels' `ConvGeometry.col2im` of the convolution from output back to input (`g`
/// below), backward that convolution's `im2col` of the gradient and two GEMMs.
extension Variable {
    /// Deconvolves with `weight` (and adds `bias`) over `window`.
    public func deconv2d(_ weight: Variable, bias: Variable? = nil, window: Window) -> Variable {
        let x = value, wt = weight.value, context = self.context
        let cin = wt.n, cout = wt.c, k = wt.h
        precondition(wt.w == k && k == window.kernel && x.c == cin, "deconv2d: weight \(wt.shapeDescription) does not match input \(x.shapeDescription)")
        // The convolution this op is the adjoint of: from the cout output planes to the cin input planes.
        let g = window.geometry(inChannels: cout, outChannels: cin)
        let (oh, ow) = g.deconvOutputSize(h: x.h, w: x.w)
        precondition(oh > 0 && ow > 0, "deconv2d: empty output")
        let p = x.h * x.w, kk = g.columnRows, op = oh * ow
        var y = Tensor(n: x.n, c: cout, h: oh, w: ow)
        let b = bias?.value.data ?? []
        x.data.withUnsafeBufferPointer { xb in
            wt.data.withUnsafeBufferPointer { wb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let xp = xb.start, wp = wb.start, yp = yb.start
                    context.parallel(x.n) { i in
                        let col = UnsafeMutablePointer<Float>.allocate(capacity: kk * p)
                        defer { col.deallocate() }
                        ConvBatch.gemm(transA: true, m: kk, n: p, k: cin, wp, xp + i * cin * p, col)
                        let out = yp + i * cout * op
                        g.col2im(col, h: oh, w: ow, rows: 0..<x.h, ow: x.w, into: out)
                        if !b.isEmpty { for o in 0..<cout { let r = out + o * op; for j in 0..<op { r[j] += b[o] } } }
                    }
                }
            }
        }
        var parents = [self, weight]
        if let bias { parents.append(bias) }
        let hasBias = bias != nil
        return Variable(y, op: "deconv2d", parents: parents) { grad in
            let (dxData, dwData) = ConvBatch.backward(images: x.n, x: x.data, weight: wt.data, grad: grad.data, dxCount: x.count,
                                                      weightCount: cin * kk, columns: kk * p, context: context) { i, b in
                g.im2col(b.grad + i * cout * op, h: oh, w: ow, rows: 0..<x.h, ow: x.w, into: b.columns)
                ConvBatch.gemm(m: cin, n: p, k: kk, b.weight, b.columns, b.dx + i * cin * p)
                ConvBatch.gemm(transB: true, m: cin, n: kk, k: p, b.x + i * cin * p, b.columns, b.weightParts + i * cin * kk)
            }
            let dx = Tensor(n: x.n, c: cin, h: x.h, w: x.w, data: dxData), dw = Tensor(n: cin, c: cout, h: k, w: k, data: dwData)
            var out: [Tensor?] = [dx, dw]
            if hasBias { out.append(channelSums(grad)) }
            return out
        }
    }
}

/// Per-channel sums of a gradient over batch, rows and columns (a bias gradient), as 1 x C x 1 x 1.
func channelSums(_ g: Tensor) -> Tensor {
    var out = Tensor(c: g.c, h: 1, w: 1)
    let p = g.h * g.w
    for b in 0..<g.n { for c in 0..<g.c {
        var s: Float = 0
        let base = (b * g.c + c) * p
        for j in 0..<p { s += g.data[base + j] }
        out.data[c] += s
    } }
    return out
}
