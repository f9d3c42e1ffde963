import SRTensor

/// Transposed convolution (deconvolution), the adjoint of `conv2d`, with optional bias.
///
/// Weight `[in][out][k][k]` (PyTorch's ConvTranspose2d order) as an `in x out x k x k` tensor.
/// Output side `(H - 1) * stride - 2 * pad + k`. GEMM + col2im per image, batch in parallel.
extension Variable {
    /// Deconvolves with `weight` (and adds `bias`) over `window`.
    public func deconv2d(_ weight: Variable, bias: Variable? = nil, window: Window) -> Variable {
        let x = value, wt = weight.value, context = self.context
        let cin = wt.n, cout = wt.c, k = wt.h
        precondition(wt.w == k && k == window.kernel && x.c == cin, "deconv2d: weight \(wt.shapeDescription) does not match input \(x.shapeDescription)")
        let oh = (x.h - 1) * window.stride - 2 * window.pad + k, ow = (x.w - 1) * window.stride - 2 * window.pad + k
        precondition(oh > 0 && ow > 0, "deconv2d: empty output")
        let p = x.h * x.w, kk = cout * k * k
        var y = Tensor(n: x.n, c: cout, h: oh, w: ow)
        let b = bias?.value.data ?? []
        x.data.withUnsafeBufferPointer { xb in
            wt.data.withUnsafeBufferPointer { wb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let xp = xb.start, wp = wb.start, yp = yb.start
                    context.parallel(x.n) { i in
                        let col = UnsafeMutablePointer<Float>.allocate(capacity: kk * p)
                        defer { col.deallocate() }
                        Columns.gemm(transA: true, transB: false, m: kk, n: p, k: cin, wp, xp + i * cin * p, col)
                        let out = yp + i * cout * oh * ow
                        Columns.col2im(col, c: cout, h: oh, w: ow, window, into: out)
                        if !b.isEmpty { for o in 0..<cout { let r = out + o * oh * ow; for j in 0..<(oh * ow) { r[j] += b[o] } } }
                    }
                }
            }
        }
        var parents = [self, weight]
        if let bias { parents.append(bias) }
        let hasBias = bias != nil
        return Variable(y, op: "deconv2d", parents: parents) { g in
            let (dxData, dwData) = Columns.backward(images: x.n, x: x.data, weight: wt.data, grad: g.data, dxCount: x.count,
                                                    weightCount: cin * kk, columns: kk * p, context: context) { i, b in
                Columns.im2col(b.grad + i * cout * oh * ow, c: cout, h: oh, w: ow, window, into: b.columns)
                Columns.gemm(transA: false, transB: false, m: cin, n: p, k: kk, b.weight, b.columns, b.dx + i * cin * p)
                Columns.gemm(transA: false, transB: true, m: cin, n: kk, k: p, b.x + i * cin * p, b.columns, b.weightParts + i * cin * kk)
            }
            let dx = Tensor(n: x.n, c: cin, h: x.h, w: x.w, data: dxData), dw = Tensor(n: cin, c: cout, h: k, w: k, data: dwData)
            var out: [Tensor?] = [dx, dw]
            if hasBias { out.append(channelSums(g)) }
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
