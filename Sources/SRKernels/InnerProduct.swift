import SRTensor

extension Kernels {
    /// Fully connected layer (ncnn InnerProduct) as one `cblas_sgemm`: `out (n x outCount) =
    /// x (n x inCount) * weight^T`, then bias + activation; the result is `outCount x 1 x 1`.
    public static func innerProduct(_ x: Tensor, weight: [Float], bias: [Float], outCount: Int,
                                    activation: Activation = .none, context: ExecutionContext = .serial) -> Tensor {
        let inCount = x.c * x.h * x.w
        precondition(weight.count == outCount * inCount, "inner product weight count")
        precondition(bias.isEmpty || bias.count == outCount, "inner product bias count")
        var out = Tensor(n: x.n, c: outCount, h: 1, w: 1)
        if out.count == 0 { return out }
        x.data.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    out.data.withUnsafeMutableBufferPointer { ob in
                        guard let op = ob.baseAddress else { return }
                        if let xp = xb.baseAddress, let wp = wb.baseAddress {
                            context.sgemm(transB: true, m: x.n, n: outCount, k: inCount, xp, lda: inCount, wp, ldb: inCount,
                                          op, ldc: outCount)
                        } else {
                            op.update(repeating: 0, count: x.n * outCount)
                        }
                        for b in 0..<x.n {
                            for o in 0..<outCount {
                                Epilogue.apply(op + b * outCount + o, count: 1, bias: Epilogue.bias(bb, o),
                                               activation: activation, channel: o, isa: context.isa)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
