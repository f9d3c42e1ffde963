import SRAutograd

/// Total variation of the output (SRGAN, seed 003 eq. 7): the mean squared difference between
/// horizontally and vertically neighbouring pixels. The target is not used.
public struct TVLoss: Loss {
    public let name = "tv"
    /// Creates the loss (no parameters).
    public init(_ spec: LossSpec) throws { try spec.noParams() }
    public func value(sr: Variable, hr: Variable) -> Variable {
        let h = sr.h, w = sr.w
        let dy = sr.crop(top: 1, left: 0, h: h - 1, w: w) - sr.crop(top: 0, left: 0, h: h - 1, w: w)
        let dx = sr.crop(top: 0, left: 1, h: h, w: w - 1) - sr.crop(top: 0, left: 0, h: h, w: w - 1)
        return dy.square().mean() + dx.square().mean()
    }
}
