import Foundation

/// Learning rate as a function of the step: constant, step decay or cosine, with linear warm-up.
public struct LRSchedule: Sendable, Equatable {
    /// The shape after warm-up.
    public enum Kind: Sendable, Equatable {
        /// Always `base`.
        case constant
        /// `base * gamma^(number of milestones passed)`.
        case step(milestones: [Int], gamma: Float)
        /// Cosine from `base` down to `minimum` over `total` steps.
        case cosine(total: Int, minimum: Float)
    }

    /// Peak learning rate.
    public var base: Float
    /// Shape.
    public var kind: Kind
    /// Steps of linear warm-up from 0 to `base`.
    public var warmup: Int

    /// Creates a schedule.
    public init(base: Float, kind: Kind = .constant, warmup: Int = 0) { self.base = base; self.kind = kind; self.warmup = warmup }

    /// The rate for step `t` (0-based).
    public func rate(at t: Int) -> Float {
        if warmup > 0 && t < warmup { return base * Float(t + 1) / Float(warmup) }
        switch kind {
        case .constant: return base
        case .step(let milestones, let gamma):
            return base * Float(Foundation.pow(Double(gamma), Double(milestones.filter { t >= $0 }.count)))
        case .cosine(let total, let minimum):
            let p = min(max(Double(t) / Double(max(total, 1)), 0), 1)
            return minimum + (base - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * p)))
        }
    }
}
