import SRKernels
import SRTensor

/// 2-D convolution (cross-correlation) with a square kernel, zero padding and optional bias.
///
/// Forward and backward are the kernels' `ConvGeometry.im2col` / `col2im` + `ExecutionContext.sgemm`
/// per image, the images of a batch spread over the variable's `context.threads` workers (1x1
/// kernels skip the column matrix). Weight `[out][in][k][k]` is stored as an `out x in x k x k`
/// tensor (ncnn's and PyTorch's order); bias is `1 x out x 1 x 1`.
extension Variable {
    /// Convolves with `weight` (and adds `bias`) over `window`.
    public func conv2d(_ weight: Variable, bias: Variable? = nil, window: Window) -> Variable {
        let x = value, wt = weight.value, context = self.context
        let cout = wt.n, cin = wt.c, k = wt.h
        precondition(wt.w == k && k == window.kernel, "conv2d: weight \(wt.shapeDescription) does not match kernel \(window.kernel)")
        precondition(x.c == cin, "conv2d: input has \(x.c) channels, weight expects \(cin)")
        precondition(bias == nil || bias?.value.count == cout, "conv2d: bias count")
        let g = window.geometry(inChannels: cin, outChannels: cout)
        let (oh, ow) = g.convOutputSize(h: x.h, w: x.w), p = oh * ow, kk = g.columnRows, hw = x.h * x.w
        precondition(oh > 0 && ow > 0, "conv2d: input \(x.h)x\(x.w) is smaller than the kernel")
        let pointwise = g.isPointwise
        var y = Tensor(n: x.n, c: cout, h: oh, w: ow)
        let b = bias?.value.data ?? []
        if x.n == 1 || kk * p > ConvBatch.largeColumns {
            // One image (inference, metrics) or a large one: the blocked kernel, BLAS-threaded.
            y = Kernels.convolution(x, weight: wt.data, bias: b, geometry: g, context: context)
        } else {
            x.data.withUnsafeBufferPointer { xb in
                wt.data.withUnsafeBufferPointer { wb in
                    y.data.withUnsafeMutableBufferPointer { yb in
                        let xp = xb.start, wp = wb.start, yp = yb.start
                        context.parallel(x.n) { i in
                            let xi = xp + i * cin * hw, out = yp + i * cout * p
                            if pointwise {
                                ConvBatch.gemm(m: cout, n: p, k: kk, wp, xi, out)
                            } else {
                                let col = UnsafeMutablePointer<Float>.allocate(capacity: kk * p)
                                defer { col.deallocate() }
                                g.im2col(xi, h: x.h, w: x.w, rows: 0..<oh, ow: ow, into: col)
                                ConvBatch.gemm(m: cout, n: p, k: kk, wp, col, out)
                            }
                            if !b.isEmpty { for o in 0..<cout { let v = b[o], r = out + o * p; for j in 0..<p { r[j] += v } } }
                        }
                    }
                }
            }
        }
        var parents = [self, weight]
        if let bias { parents.append(bias) }
        let hasBias = bias != nil
        return Variable(y, op: "conv2d", parents: parents) { grad in
            let (dxData, dwData) = ConvBatch.backward(images: x.n, x: x.data, weight: wt.data, grad: grad.data, dxCount: x.count,
                                                      weightCount: cout * kk, columns: pointwise ? 0 : kk * p,
                                                      context: context) { i, b in
                let gi = b.grad + i * cout * p, xi = b.x + i * cin * hw, dxi = b.dx + i * cin * hw
                let dwi = b.weightParts + i * cout * kk
                if pointwise {
                    ConvBatch.gemm(transB: true, m: cout, n: kk, k: p, gi, xi, dwi)
                    ConvBatch.gemm(transA: true, m: kk, n: p, k: cout, b.weight, gi, dxi)
                } else {
                    g.im2col(xi, h: x.h, w: x.w, rows: 0..<oh, ow: ow, into: b.columns)
                    ConvBatch.gemm(transB: true, m: cout, n: kk, k: p, gi, b.columns, dwi)
                    ConvBatch.gemm(transA: true, m: kk, n: p, k: cout, b.weight, gi, b.columns)
                    g.col2im(b.columns, h: x.h, w: x.w, rows: 0..<oh, ow: ow, into: dxi)
                }
            }
            let dx = Tensor(n: x.n, c: cin, h: x.h, w: x.w, data: dxData), dw = Tensor(n: cout, c: cin, h: k, w: k, data: dwData)
            var out: [Tensor?] = [dx, dw]
            if hasBias { out.append(channelSums(grad)) }
            return out
        }
    }
}
