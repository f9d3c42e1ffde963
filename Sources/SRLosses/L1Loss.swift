import SRAutograd

/// Mean absolute error.
public struct L1Loss: Loss {
    public let name = "l1"
    /// Creates the loss (no parameters).
    public init(_ spec: LossSpec) throws { try spec.noParams() }
    public func value(sr: Variable, hr: Variable) -> Variable { (sr - hr).abs().mean() }
}
