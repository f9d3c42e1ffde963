import Foundation
import SRTensor

/// Classification per pixel: softmax cross-entropy over groups of `classes` channels.
extension Variable {
    /// The mean over every pixel and group of −log softmax(logits)[target]. The logits have
    /// `groups * classes` channels (group g's classes at channels g*classes ..< (g+1)*classes);
    /// `targets` holds one class index per group and pixel, `n x groups x h x w`.
    /// Loops run over whole planes (contiguous), class by class.
    public func crossEntropy(targets: [Int32], classes k: Int) -> Variable {
        let x = value, groups = x.c / k, plane = x.h * x.w
        precondition(x.c % k == 0 && targets.count == x.n * groups * plane, "crossEntropy: \(x.c) channels, \(k) classes, \(targets.count) targets")
        var probs = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
        var total = 0.0
        var m = [Float](repeating: 0, count: plane), s = [Float](repeating: 0, count: plane)
        x.data.withUnsafeBufferPointer { xp in
            probs.data.withUnsafeMutableBufferPointer { pp in
                for b in 0..<x.n { for g in 0..<groups {
                    let base = (b * groups + g) * k * plane, tb = (b * groups + g) * plane
                    for j in 0..<plane { m[j] = -Float.infinity; s[j] = 0 }
                    for c in 0..<k { let row = base + c * plane; for j in 0..<plane { m[j] = Swift.max(m[j], xp[row + j]) } }
                    for c in 0..<k {
                        let row = base + c * plane
                        for j in 0..<plane { let e = expf(xp[row + j] - m[j]); pp[row + j] = e; s[j] += e }
                    }
                    for j in 0..<plane { s[j] = 1 / s[j] }
                    for c in 0..<k { let row = base + c * plane; for j in 0..<plane { pp[row + j] *= s[j] } }
                    for j in 0..<plane { total -= Double(logf(Swift.max(pp[base + Int(targets[tb + j]) * plane + j], 1e-30))) }
                } }
            }
        }
        let count = Float(x.n * groups * plane)
        return Variable(Tensor(n: 1, c: 1, h: 1, w: 1, data: [Float(total / Double(count))]), op: "cross_entropy", parents: [self]) { g in
            var dx = probs
            let scale = g.data[0] / count
            dx.data.withUnsafeMutableBufferPointer { dp in
                for b in 0..<x.n { for gr in 0..<groups {
                    let base = (b * groups + gr) * k * plane, tb = (b * groups + gr) * plane
                    for j in 0..<plane { dp[base + Int(targets[tb + j]) * plane + j] -= 1 }
                } }
                for i in dp.indices { dp[i] *= scale }
            }
            return [dx]
        }
    }
}
