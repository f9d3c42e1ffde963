import SRAutograd
import SRTensor

/// Real-ESRGAN's SRVGGNetCompact: a plain stack of 3x3 convolutions at the input resolution,
/// a pixel shuffle, and the input upsampled and added (the net learns the residual).
///
/// Settings: `features` (64), `convs` (body convolutions, 16), `activation` (prelu, relu,
/// leakyrelu), `base` (the added upsampling: nearest as in Real-ESRGAN, bilinear or bicubic).
/// Parameter names follow Real-ESRGAN's `body.N.weight` / `body.N.bias`, so its PyTorch
/// weights converted to safetensors load as they are (with `base = nearest`).
public final class SRVGGNetCompact: TrainableNetwork {
    public static let architecture = "srvgg_compact"
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// Feature channels, body convolutions, activation and base upsampling.
    public let features: Int, convs: Int, activation: String, base: ResampleMode
    /// The convolutions in order as (weight, bias, following PReLU slope or nil).
    private let layers: [(Variable, Variable, Variable?)]

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "convs", "activation", "base"], architecture: a)
        guard (1...8).contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 1...8 (got \(scale))") }
        features = try config.int("features", 64, 1...512, architecture: a)
        convs = try config.int("convs", 16, 0...64, architecture: a)
        activation = try config.choice("activation", "prelu", ["prelu", "relu", "leakyrelu"], architecture: a)
        let baseName = try config.choice("base", "nearest", ResampleMode.allCases.map(\.rawValue), architecture: a)
        base = ResampleMode(rawValue: baseName) ?? .nearest
        self.config = config; self.scale = scale
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = [], index = 0
        var built: [(Variable, Variable, Variable?)] = []
        let f = features, prelu = activation == "prelu"
        func add(_ name: String, _ shape: [Int], _ t: Tensor) -> Variable {
            let v = Variable(t, requiresGrad: true, name: name)
            params.append(NamedParameter(name: name, shape: shape, variable: v))
            return v
        }
        // PyTorch's Sequential numbering: every conv and every activation takes an index.
        for k in 0...(convs + 1) {
            let cin = k == 0 ? 3 : f, cout = k == convs + 1 ? 3 * scale * scale : f, last = k == convs + 1
            let w = add("body.\(index).weight", [cout, cin, 3, 3], Init.conv(&rng, out: cout, in: cin, k: 3, scale: last ? 0.1 : 1))
            let b = add("body.\(index).bias", [cout], Init.constant(cout, 0))
            index += 1
            var slope: Variable?
            if !last {
                if prelu { slope = add("body.\(index).weight", [f], Init.constant(f, 0.25)) }
                index += 1
            }
            built.append((w, b, slope))
        }
        layers = built
        parameters = params
    }

    public var summary: String { "SRVGGNetCompact \(features)x\(convs) \(activation), \(base.rawValue) base, x\(scale)" }

    public func graph() -> LayerGraph {
        var g = LayerGraph()
        var y = g.input
        for (k, (w, b, slope)) in layers.enumerated() {
            y = g.conv("conv\(k)", y, w, b)
            guard k < layers.count - 1 else { break }
            switch activation {
            case "prelu": if let slope { y = g.add("prelu\(k)", .prelu(slopes: slope), y) }
            case "relu": y = g.add("relu\(k)", .relu, y)
            default: y = g.add("lrelu\(k)", .leakyReLU(slope: 0.1), y)
            }
        }
        let up = g.add("shuffle", .pixelShuffle(factor: scale), y)
        g.add("add", .add, up, g.add("base", .interp(base, scale: scale), g.input))
        return g
    }
}
