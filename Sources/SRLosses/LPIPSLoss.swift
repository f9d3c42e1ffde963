import SRAutograd

/// LPIPS between output and target, mean over the batch (`lpips`: AlexNet, `lpips_vgg`: VGG16).
public struct LPIPSLoss: Loss {
    public let name: String
    /// The loaded network.
    public let lpips: LPIPS
    /// Creates the loss; the weights must be in the models folder (`make models`).
    public init(_ spec: LossSpec, backbone: LPIPS.Backbone) throws {
        try spec.noParams()
        name = spec.type
        lpips = try LPIPS.load(backbone)
    }
    public func value(sr: Variable, hr: Variable) -> Variable { lpips.distance(sr, hr).mean() }
}
