import Foundation
import SRTensor

/// Adam with decoupled weight decay when `decoupled` (AdamW), else L2 added to the gradient.
///
/// Threading: owned by one training loop. The moment buffers are keyed by parameter order, so
/// the same parameter list must be passed to every `step`.
public final class Adam: @unchecked Sendable {
    /// Hyper-parameters.
    public var beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, decoupled: Bool
    /// Steps taken so far (saved in checkpoints).
    public private(set) var stepCount = 0
    /// First and second moments per parameter.
    public private(set) var m: [[Float]], v: [[Float]]

    /// Creates an optimizer for parameters with these element counts.
    public init(sizes: [Int], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = true) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay; self.decoupled = decoupled
        m = sizes.map { [Float](repeating: 0, count: $0) }; v = m
    }

    /// Restores the state saved by `state` (from a checkpoint).
    public func restore(step: Int, m: [[Float]], v: [[Float]]) throws {
        guard m.count == self.m.count, v.count == self.v.count,
              zip(m, self.m).allSatisfy({ $0.count == $1.count }), zip(v, self.v).allSatisfy({ $0.count == $1.count }) else {
            throw AutogradError.stateMismatch("optimizer state does not match the network's parameters")
        }
        stepCount = step; self.m = m; self.v = v
    }

    /// Updates every parameter that has a gradient with learning rate `lr`, then clears the gradients.
    public func step(_ params: [Variable], lr: Float) {
        precondition(params.count == m.count, "Adam: \(params.count) parameters, state for \(m.count)")
        stepCount += 1
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(stepCount)))
        let c2 = 1 - Float(Foundation.pow(Double(beta2), Double(stepCount)))
        for (k, p) in params.enumerated() {
            guard let g = p.grad else { continue }
            p.value.data.withUnsafeMutableBufferPointer { w in
                for i in w.indices {
                    var gi = g.data[i]
                    if weightDecay > 0 && !decoupled { gi += weightDecay * w[i] }
                    m[k][i] = beta1 * m[k][i] + (1 - beta1) * gi
                    v[k][i] = beta2 * v[k][i] + (1 - beta2) * gi * gi
                    let update = (m[k][i] / c1) / ((v[k][i] / c2).squareRoot() + epsilon)
                    if weightDecay > 0 && decoupled { w[i] -= lr * weightDecay * w[i] }
                    w[i] -= lr * update
                }
            }
            p.grad = nil
        }
    }
}

/// Gradient clipping by global norm.
public enum GradientClip {
    /// Scales every gradient so that their joint L2 norm is at most `maxNorm`; returns the norm before.
    @discardableResult
    public static func clip(_ params: [Variable], maxNorm: Float) -> Float {
        var s: Double = 0
        for p in params { if let g = p.grad { for v in g.data { s += Double(v) * Double(v) } } }
        let norm = Float(s.squareRoot())
        if maxNorm > 0 && norm > maxNorm {
            let k = maxNorm / norm
            for p in params { if let g = p.grad { p.grad = g.map { $0 * k } } }
        }
        return norm
    }
}
