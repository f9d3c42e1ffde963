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
    /// The terms with their weights.
    public let terms: [(loss: any Loss, weight: Float)]

    /// Builds the terms from specs.
    public init(_ specs: [LossSpec]) throws {
        terms = try specs.map { (try LossRegistry.make($0), $0.weight) }
    }

    /// The total (for `backward`) and each term's unweighted value, by name, in order.
    public func evaluate(sr: Variable, hr: Variable) -> (total: Variable, terms: [(name: String, value: Float)]) {
        var total: Variable?, logged: [(String, Float)] = []
        for (loss, weight) in terms {
            let v = loss.value(sr: sr, hr: hr)
            logged.append((loss.name, v.scalar))
            let weighted = v * weight
            total = total.map { $0 + weighted } ?? weighted
        }
        return (total ?? Variable(Tensor(n: 1, c: 1, h: 1, w: 1)), logged)
    }
}
