import SRAutograd
import SRModels

/// The generator's adversarial term (SRGAN, seed 003): non-saturating −log D(G(x)) =
/// softplus(−logit), mean over the batch. Weight 1e-3 as in SRGAN. The training loop attaches
/// the discriminator and trains it with `discriminatorLoss`; the target is not used here.
public final class AdversarialLoss: Loss, @unchecked Sendable {
    public let name = "adversarial"
    /// The discriminator, attached by the training loop before the first step.
    public var discriminator: VGGDiscriminator?

    /// Creates the term (no parameters).
    public init(_ spec: LossSpec) throws { try spec.noParams() }

    public func value(sr: Variable, hr: Variable) -> Variable {
        guard let d = discriminator else { preconditionFailure("adversarial loss used without a discriminator") }
        return (d.logits(sr) * -1).softplus().mean()
    }

    /// The discriminator's loss: −log D(real) − log(1 − D(fake)) = softplus(−D(real)) + softplus(D(fake)),
    /// with `fake` detached from the generator.
    public static func discriminatorLoss(_ d: VGGDiscriminator, real: Variable, fake: Variable) -> Variable {
        (d.logits(real) * -1).softplus().mean() + d.logits(fake.detached()).softplus().mean()
    }
}
