extension Reference {
    /// Fully connected layer over the flattened input of each batch item (ncnn InnerProduct);
    /// weights `[outCount][inCount]`; the result is `outCount x 1 x 1`.
    public static func innerProduct(_ x: Tensor, weight: [Float], bias: [Float], outCount: Int,
                                    activation: Activation = .none) -> Tensor {
        let inCount = x.c * x.h * x.w
        precondition(weight.count == outCount * inCount, "inner product weight count")
        var out = Tensor(n: x.n, c: outCount, h: 1, w: 1)
        for b in 0..<x.n {
            for o in 0..<outCount {
                var s: Float = bias.isEmpty ? 0 : bias[o]
                for i in 0..<inCount { s += weight[o * inCount + i] * x.data[b * inCount + i] }
                out[b, o, 0, 0] = activation.apply(s, channel: o)
            }
        }
        return out
    }
}
