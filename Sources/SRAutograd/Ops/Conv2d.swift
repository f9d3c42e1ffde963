import SRKernels
import SRTensor

/// 2-D convolution (cross-correlation) with a square kernel, zero padding and optional bias.
///
/// Forward and backward are im2col + `cblas_sgemm` per image, the images of a batch spread over
/// the variable's `context.threads` workers. Weight `[out][in][k][k]` is stored as an `out x in x k x k` tensor
/// (ncnn's and PyTorch's order); bias is `1 x out x 1 x 1`.
extension Variable {
    /// Convolves with `weight` (and adds `bias`) over `window`.
    public func conv2d(_ weight: Variable, bias: Variable? = nil, window: Window) -> Variable {
        let x = value, wt = weight.value, context = self.context
        let cout = wt.n, cin = wt.c, k = wt.h
        precondition(wt.w == k && k == window.kernel, "conv2d: weight \(wt.shapeDescription) does not match kernel \(window.kernel)")
        precondition(x.c == cin, "conv2d: input has \(x.c) channels, weight expects \(cin)")
        precondition(bias == nil || bias?.value.count == cout, "conv2d: bias count")
        let oh = window.output(x.h), ow = window.output(x.w), p = oh * ow, kk = cin * k * k
        precondition(oh > 0 && ow > 0, "conv2d: input \(x.h)x\(x.w) is smaller than the kernel")
        var y = Tensor(n: x.n, c: cout, h: oh, w: ow)
        let b = bias?.value.data ?? []
        if x.n == 1 || kk * p > Columns.largeColumns {
            // One image (inference, metrics) or a large one: the blocked kernel, BLAS-threaded.
            y = Kernels.convolution(x, weight: wt.data, bias: b,
                                    geometry: ConvGeometry(inChannels: cin, outChannels: cout, kernel: k, stride: window.stride, pad: window.pad),
                                    context: context)
        } else {
        x.data.withUnsafeBufferPointer { xb in
            wt.data.withUnsafeBufferPointer { wb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let xp = xb.start, wp = wb.start, yp = yb.start
                    context.parallel(x.n) { i in
                        let col = UnsafeMutablePointer<Float>.allocate(capacity: kk * p)
                        defer { col.deallocate() }
                        Columns.im2col(xp + i * x.c * x.h * x.w, c: cin, h: x.h, w: x.w, window, into: col)
                        let out = yp + i * cout * p
                        Columns.gemm(transA: false, transB: false, m: cout, n: p, k: kk, wp, col, out)
                        if !b.isEmpty { for o in 0..<cout { let v = b[o], r = out + o * p; for j in 0..<p { r[j] += v } } }
                    }
                }
            }
        }
        }
        var parents = [self, weight]
        if let bias { parents.append(bias) }
        let hasBias = bias != nil
        return Variable(y, op: "conv2d", parents: parents) { g in
            let (dxData, dwData) = Columns.backward(images: x.n, x: x.data, weight: wt.data, grad: g.data, dxCount: x.count,
                                                    weightCount: cout * kk, columns: kk * p, context: context) { i, b in
                let gi = b.grad + i * cout * p
                Columns.im2col(b.x + i * x.c * x.h * x.w, c: cin, h: x.h, w: x.w, window, into: b.columns)
                Columns.gemm(transA: false, transB: true, m: cout, n: kk, k: p, gi, b.columns, b.weightParts + i * cout * kk)
                Columns.gemm(transA: true, transB: false, m: kk, n: p, k: cout, b.weight, gi, b.columns)
                Columns.col2im(b.columns, c: cin, h: x.h, w: x.w, window, into: b.dx + i * cin * x.h * x.w)
            }
            let dx = Tensor(n: x.n, c: cin, h: x.h, w: x.w, data: dxData), dw = Tensor(n: cout, c: cin, h: k, w: k, data: dwData)
            var out: [Tensor?] = [dx, dw]
            if hasBias { out.append(channelSums(g)) }
            return out
        }
    }
}
