import SRAutograd

/// Mean squared error (the PSNR loss; SRGAN's pixel content loss).
public struct MSELoss: Loss {
    public let name = "mse"
    /// Creates the loss (no parameters).
    public init(_ spec: LossSpec) throws { try spec.noParams() }
    public func value(sr: Variable, hr: Variable) -> Variable { (sr - hr).square().mean() }
}
