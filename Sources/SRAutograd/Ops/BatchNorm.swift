import Foundation
import SRTensor

/// Running statistics of a batch-norm layer (updated in training mode, used in eval mode).
///
/// Threading: owned by one training loop.
public final class BatchNormStats: @unchecked Sendable {
    /// Per-channel running mean and (unbiased) variance.
    public var mean: [Float], variance: [Float]
    /// Weight of the newest batch in the running average (PyTorch's 0.1).
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float

    /// Creates statistics for `channels` (mean 0, variance 1).
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        mean = [Float](repeating: 0, count: channels); variance = [Float](repeating: 1, count: channels)
        self.momentum = momentum; self.epsilon = epsilon
    }
}

extension Variable {
    /// Batch normalization: per channel, (x - μ) / √(σ² + ε) · γ + β, with μ, σ² of the batch in
    /// training mode (and the running stats updated), else the running stats.
    public func batchNorm(gamma: Variable, beta: Variable, stats: BatchNormStats, training: Bool) -> Variable {
        let x = value, c = x.c, plane = x.h * x.w, m = Float(x.n * plane)
        precondition(gamma.value.count == c && beta.value.count == c && stats.mean.count == c, "batchNorm: \(c) channels")
        var mu = stats.mean, invStd = [Float](repeating: 0, count: c)
        if training {
            var varB = [Float](repeating: 0, count: c)
            for ch in 0..<c {
                var s: Double = 0, s2: Double = 0
                for b in 0..<x.n { let base = (b * c + ch) * plane; for j in 0..<plane { let v = Double(x.data[base + j]); s += v; s2 += v * v } }
                let mean = s / Double(m)
                mu[ch] = Float(mean); varB[ch] = Float(max(s2 / Double(m) - mean * mean, 0))
                stats.mean[ch] = (1 - stats.momentum) * stats.mean[ch] + stats.momentum * mu[ch]
                let unbiased = m > 1 ? varB[ch] * m / (m - 1) : varB[ch]
                stats.variance[ch] = (1 - stats.momentum) * stats.variance[ch] + stats.momentum * unbiased
            }
            for ch in 0..<c { invStd[ch] = 1 / Foundation.sqrt(varB[ch] + stats.epsilon) }
        } else {
            for ch in 0..<c { invStd[ch] = 1 / Foundation.sqrt(stats.variance[ch] + stats.epsilon) }
        }
        let gm = gamma.value.data, bt = beta.value.data
        var xhat = x, y = x
        for b in 0..<x.n { for ch in 0..<c {
            let base = (b * c + ch) * plane
            for j in base..<(base + plane) {
                xhat.data[j] = (x.data[j] - mu[ch]) * invStd[ch]
                y.data[j] = xhat.data[j] * gm[ch] + bt[ch]
            }
        } }
        return Variable(y, op: "batch_norm", parents: [self, gamma, beta]) { g in
            var dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
            for b in 0..<x.n { for ch in 0..<c {
                let base = (b * c + ch) * plane
                for j in base..<(base + plane) { dgamma[ch] += g.data[j] * xhat.data[j]; dbeta[ch] += g.data[j] }
            } }
            var dx = g
            for b in 0..<x.n { for ch in 0..<c {
                let base = (b * c + ch) * plane, k = gm[ch] * invStd[ch]
                for j in base..<(base + plane) {
                    dx.data[j] = training ? k * (g.data[j] - dbeta[ch] / m - xhat.data[j] * dgamma[ch] / m) : k * g.data[j]
                }
            } }
            return [dx, Tensor(c: c, h: 1, w: 1, data: dgamma), Tensor(c: c, h: 1, w: 1, data: dbeta)]
        }
    }
}
