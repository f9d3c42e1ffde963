import SRAutograd
import SRTensor

/// ESPCN (Shi et al. 2016), the tiny net of the zoo: 5x5 convolution to `features` (64),
/// 3x3 to `features`/2, 3x3 to 3·scale², pixel shuffle; ReLU between (the paper's tanh is not
/// an ncnn activation of this engine). About 20k parameters at x2: a baseline and a test subject.
public final class ESPCN: TrainableNetwork {
    public static let architecture = "espcn"
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// First-layer width.
    public let features: Int
    private let convs: [(Variable, Variable, Int)]

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features"], architecture: a)
        guard (1...8).contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 1...8 (got \(scale))") }
        features = try config.int("features", 64, 2...256, architecture: a)
        self.config = config; self.scale = scale
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        let plan = [(3, features, 5), (features, features / 2, 3), (features / 2, 3 * scale * scale, 3)]
        convs = plan.enumerated().map { i, p in
            let w = Variable(Init.conv(&rng, out: p.1, in: p.0, k: p.2), requiresGrad: true, name: "conv\(i).weight")
            let b = Variable(Init.constant(p.1, 0), requiresGrad: true, name: "conv\(i).bias")
            params += [NamedParameter(name: "conv\(i).weight", shape: [p.1, p.0, p.2, p.2], variable: w),
                       NamedParameter(name: "conv\(i).bias", shape: [p.1], variable: b)]
            return (w, b, p.2)
        }
        parameters = params
    }

    public var summary: String { "ESPCN \(features), x\(scale)" }

    public func graph() -> LayerGraph {
        var g = LayerGraph()
        var y = g.input
        for (i, (w, b, k)) in convs.enumerated() {
            y = g.conv("conv\(i)", y, w, b, kernel: k)
            if i < convs.count - 1 { y = g.add("relu\(i)", .relu, y) }
        }
        g.add("shuffle", .pixelShuffle(factor: scale), y)
        return g
    }
}
