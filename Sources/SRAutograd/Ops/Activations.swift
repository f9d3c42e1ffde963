import Foundation
import SRTensor

/// ReLU, leaky ReLU, PReLU (with the slope's gradient), sigmoid and SiLU.
extension Variable {
    /// max(x, 0).
    public func relu() -> Variable { unary("relu", { $0 > 0 ? $0 : 0 }) { x, _ in x > 0 ? 1 : 0 } }

    /// x < 0 ? slope * x : x.
    public func leakyReLU(_ slope: Float) -> Variable {
        unary("leaky_relu", { $0 > 0 ? $0 : $0 * slope }) { x, _ in x > 0 ? 1 : slope }
    }

    /// 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Variable { unary("sigmoid", { 1 / (1 + Foundation.exp(-$0)) }) { _, y in y * (1 - y) } }

    /// SiLU (swish): x · sigmoid(x).
    public func silu() -> Variable {
        unary("silu", { $0 / (1 + Foundation.exp(-$0)) }) { x, _ in
            let s = 1 / (1 + Foundation.exp(-x))
            return s * (1 + x * (1 - s))
        }
    }

    /// x < 0 ? a[c] * x : x with a learned slope per channel (`slope`: 1 x C x 1 x 1, or 1 value for all).
    public func prelu(_ slope: Variable) -> Variable {
        let x = value, a = slope.value.data, plane = x.h * x.w, shared = a.count == 1
        precondition(shared || a.count == x.c, "prelu: \(a.count) slopes for \(x.c) channels")
        var y = x
        for i in 0..<(x.n * x.c) {
            let s = a[shared ? 0 : i % x.c], base = i * plane
            for j in base..<(base + plane) where y.data[j] < 0 { y.data[j] *= s }
        }
        return Variable(y, op: "prelu", parents: [self, slope]) { g in
            var dx = g, da = [Float](repeating: 0, count: a.count)
            for i in 0..<(x.n * x.c) {
                let ch = shared ? 0 : i % x.c, s = a[ch], base = i * plane
                var acc: Float = 0
                for j in base..<(base + plane) where x.data[j] < 0 {
                    acc += g.data[j] * x.data[j]
                    dx.data[j] *= s
                }
                da[ch] += acc
            }
            return [dx, Tensor(n: slope.value.n, c: slope.value.c, h: slope.value.h, w: slope.value.w, data: da)]
        }
    }
}
