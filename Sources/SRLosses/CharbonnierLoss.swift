import SRAutograd

/// Charbonnier: mean of √((sr - hr)² + ε²), a smooth L1.
public struct CharbonnierLoss: Loss {
    public let name = "charbonnier"
    /// ε (default 1e-3).
    public let epsilon: Float
    /// Creates the loss; parameter `epsilon`.
    public init(_ spec: LossSpec) throws {
        epsilon = Float(try spec.param("epsilon", 1e-3, allowed: ["epsilon"]))
        guard epsilon > 0 else { throw LossError.badParameter(loss: spec.type, detail: "epsilon must be > 0") }
    }
    public func value(sr: Variable, hr: Variable) -> Variable { ((sr - hr).square() + epsilon * epsilon).sqrt().mean() }
}
