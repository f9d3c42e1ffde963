import SRAutograd

/// SRGAN's content loss (seed 003 eq. 5): the mean squared difference between VGG feature maps of
/// output and target, the features divided by 12.75 as the paper rescales them. The paper uses
/// VGG19's relu5_4; VGG19 weights cannot be fetched here, so this is VGG16 (the LPIPS backbone
/// from `make models`, ImageNet-normalised input), `layer` 1...5 picking relu1_2, relu2_2,
/// relu3_3, relu4_3 or relu5_3 (default 5: the deepest, as the paper's φ5,4).
public struct VGGContentLoss: Loss {
    public let name = "vgg"
    /// Which tapped VGG16 activation (1...5).
    public let layer: Int
    /// The VGG16 backbone (its LPIPS heads are not used).
    public let network: LPIPS
    /// The paper's feature rescaling.
    public static let rescale: Float = 12.75

    /// Creates the loss; the VGG16 weights must be in the models folder (`make models`).
    public init(_ spec: LossSpec) throws {
        let l = try spec.param("layer", 5, allowed: ["layer"])
        guard (1...5).contains(l), l == l.rounded() else {
            throw LossError.badParameter(loss: spec.type, detail: "layer must be 1, 2, 3, 4 or 5 (got \(l))")
        }
        layer = Int(l)
        network = try LPIPS.load(.vgg)
    }

    public func value(sr: Variable, hr: Variable) -> Variable {
        let a = network.features(sr, count: layer)[layer - 1], b = network.features(hr, count: layer)[layer - 1]
        return (a - b).square().mean() * (1 / (Self.rescale * Self.rescale))
    }
}
