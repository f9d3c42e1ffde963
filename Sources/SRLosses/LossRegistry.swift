import SRTensor
import SRAutograd

/// Every loss by name: one line each.
public enum LossRegistry {
    /// Factories by registry name.
    public static let factories: [String: @Sendable (LossSpec) throws -> any Loss] = [
        "l1": { try L1Loss($0) },
        "mse": { try MSELoss($0) },
        "charbonnier": { try CharbonnierLoss($0) },
        "tv": { try TVLoss($0) },
        "lpips": { try LPIPSLoss($0, backbone: .alex) },
        "lpips_vgg": { try LPIPSLoss($0, backbone: .vgg) },
        "vgg": { try VGGContentLoss($0) },
        "mshf": { try MSHFLoss($0) },
        "mshf_l1": { try MSHFLoss($0) },
        "adversarial": { try AdversarialLoss($0) },
        "fcs": { try FCSLoss($0) },
        "ce": { try FCSLoss($0) },
        "contextual": { try ContextualLoss($0) },
    ]

    /// Builds one term.
    public static func make(_ spec: LossSpec) throws -> any Loss {
        guard let f = factories[spec.type] else { throw LossError.unknown(spec.type, known: factories.keys.sorted()) }
        return try f(spec)
    }
}

/// A weighted sum of loss terms, each term's value reported separately.
public struct WeightedLoss: Sendable {
    /// The terms with their weights and what each compares the output with.
    public let terms: [(loss: any Loss, weight: Float, target: LossTarget)]

    /// Builds the terms from specs.
    public init(_ specs: [LossSpec]) throws {
        terms = try specs.map { (try LossRegistry.make($0), $0.weight, $0.target) }
    }

    /// True when a term compares with a fusion source instead of HR.
    public var needsSources: Bool { terms.contains { $0.target != .hr } }

    /// The total (for `backward`) and each term's unweighted value, by name (`name/target` for
    /// a source target), in order. `sources` are x_R and x_G for terms aimed at them (fusion
    /// training); a term aimed at a missing source compares with `hr`.
    public func evaluate(sr: Variable, hr: Variable, sources: (fidelity: Variable, perceptual: Variable)? = nil)
        -> (total: Variable, terms: [(name: String, value: Float)]) {
        var total: Variable?, logged: [(String, Float)] = []
        for (loss, weight, target) in terms {
            let reference: Variable
            switch target {
            case .hr: reference = hr
            case .fidelity: reference = sources?.fidelity ?? hr
            case .perceptual: reference = sources?.perceptual ?? hr
            }
            let v = loss.value(sr: sr, hr: reference)
            logged.append((target == .hr ? loss.name : "\(loss.name)/\(target.rawValue)", v.scalar))
            let weighted = v * weight
            total = total.map { $0 + weighted } ?? weighted
        }
        return (total ?? Variable(Tensor(n: 1, c: 1, h: 1, w: 1)), logged)
    }
}
