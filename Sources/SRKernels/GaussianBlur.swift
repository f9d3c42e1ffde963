import Foundation
import SRTensor

extension Kernels {
    /// Separable gaussian blur of every plane (radius ceil(3 sigma), at least 1), edges clamped.
    /// Training degradations and the FCS loss's low-pass filter use it. Reentrant.
    public static func gaussianBlur(_ t: Tensor, sigma: Float) -> Tensor {
        guard sigma > 0 else { return t }
        let r = max(1, Int((3 * sigma).rounded(.up)))
        var k = (-r...r).map { Foundation.exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let s = k.reduce(0, +); k = k.map { $0 / s }
        var tmp = t, out = t
        for p in 0..<(t.n * t.c) {
            let base = p * t.h * t.w
            for y in 0..<t.h { for x in 0..<t.w {
                var acc: Float = 0
                for i in -r...r { acc += k[i + r] * t.data[base + y * t.w + min(max(x + i, 0), t.w - 1)] }
                tmp.data[base + y * t.w + x] = acc
            } }
            for y in 0..<t.h { for x in 0..<t.w {
                var acc: Float = 0
                for i in -r...r { acc += k[i + r] * tmp.data[base + min(max(y + i, 0), t.h - 1) * t.w + x] }
                out.data[base + y * t.w + x] = acc
            } }
        }
        return out
    }
}
