import SRAutograd
import SRTensor

/// A training loss term: a pure function of the network output and the target, returning a
/// scalar (1x1x1x1) variable. The weight lives in `WeightedLoss`, not in the term.
///
/// Threading: terms are immutable after creation; `value` builds graph nodes on the calling thread.
public protocol Loss: Sendable {
    /// Registry name, e.g. `l1`.
    var name: String { get }
    /// The loss of `sr` (network output) against `hr` (target), same shapes.
    func value(sr: Variable, hr: Variable) -> Variable
}

/// What a loss term compares the network output with.
public enum LossTarget: String, Sendable, Equatable, CaseIterable {
    /// The HR image (every term by default).
    case hr
    /// Fusion training: the fidelity source's output x_R (seed 004's CX(x_R, x̂)).
    case fidelity
    /// Fusion training: the perceptual source's output x_G (seed 004's CX(x_G, x̂)).
    case perceptual
}

/// Parameters of one loss term as read from a training config (numbers by key).
public struct LossSpec: Sendable, Equatable {
    /// Registry name.
    public var type: String
    /// Weight in the sum.
    public var weight: Float
    /// Extra numeric parameters (e.g. `epsilon` for Charbonnier).
    public var params: [String: Double]
    /// What the output is compared with (`target` in the config; default the HR image).
    public var target: LossTarget
    /// `type*weight`, with `/target` when it is not HR (config summaries, weight-file metadata).
    public var summary: String { "\(type)\(target == .hr ? "" : "/" + target.rawValue)*\(weight)" }

    /// Creates a spec.
    public init(type: String, weight: Float = 1, params: [String: Double] = [:], target: LossTarget = .hr) {
        self.type = type; self.weight = weight; self.params = params; self.target = target
    }
}

/// Errors a user can act on when configuring losses.
public enum LossError: UserFacingError, Equatable {
    /// No loss of that name.
    case unknown(String, known: [String])
    /// A parameter the loss does not take, or a bad value.
    case badParameter(loss: String, detail: String)

    public var description: String {
        switch self {
        case .unknown(let n, let known): return "unknown loss '\(n)' (known: \(known.joined(separator: ", ")))"
        case .badParameter(let l, let d): return "loss '\(l)': \(d)"
        }
    }
}

extension LossSpec {
    /// The parameter `key`, or `def`; throws for keys outside `allowed`.
    func param(_ key: String, _ def: Double, allowed: Set<String>) throws -> Double {
        if let bad = params.keys.first(where: { !allowed.contains($0) }) {
            throw LossError.badParameter(loss: type, detail: "unknown parameter '\(bad)' (takes: \(allowed.sorted().joined(separator: ", ")))")
        }
        return params[key] ?? def
    }

    /// Throws if any parameter is given (for losses that take none).
    func noParams() throws {
        if let bad = params.keys.sorted().first {
            throw LossError.badParameter(loss: type, detail: "takes no parameters, got '\(bad)'")
        }
    }
}
