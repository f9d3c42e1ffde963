import SRAutograd
import SRTensor

/// Seed 004's fusion network: x̂ = Conv(Res8(Conv(x_R) + Conv(x_G))), merging a fidelity model's
/// output x_R with a perceptual (GAN) model's output x_G of the same size. The input is the two
/// images stacked as 6 channels (x_R first); scale 1; 3x3 convolutions, `blocks` (8) residual
/// blocks of conv-ReLU-conv. Settings: `features` (32), `blocks` (8), `skip` (0: the paper's
/// topology; 1: x_R is added to the output, 2: x_G is; not in the paper: with a skip the last
/// convolution starts at zero, so training starts from that source's output), `gate` (0: the
/// network's output is the image, as in the paper; 1, not in the paper: it is a per-pixel,
/// per-channel mix m = sigmoid(output) and x̂ = x_G + m (x_R - x_G), so every output pixel lies
/// between its two sources; the last convolution starts at zero: training starts from their mean;
/// 2, not in the paper: the same with m = output itself, unbounded, which cannot saturate; its
/// last convolution starts at weights 0 and bias 0.5, so again at the mean; 3, not in the paper:
/// the linear mix plus a residual r from three more output channels, x̂ = x_G + m (x_R - x_G) + r,
/// so the network can also correct both sources where neither is right; r starts at zero).
public final class FusionNet: TrainableNetwork {
    public static let architecture = "fusion"
    public let config: ArchitectureConfig
    public let scale = 1
    public let parameters: [NamedParameter]
    /// Width and residual blocks.
    public let features: Int, blocks: Int
    /// The source added to the output (not in the paper): none, x_R or x_G.
    public let skip: Skip
    /// Whether the network predicts a per-pixel mix of x_R and x_G instead of the image, and how.
    public let gate: Gate
    /// What a `skip` setting adds to the output.
    public enum Skip: Int, Sendable {
        case none = 0, fidelity = 1, perceptual = 2

        /// How the summary names it ("" for none).
        var label: String {
            switch self {
            case .none: ""
            case .fidelity: ", x_R skip"
            case .perceptual: ", x_G skip"
            }
        }
    }
    /// What a `gate` setting makes of the last convolution's output: the image (the paper), or the
    /// mix m in x̂ = x_G + m (x_R - x_G) as sigmoid(output), as the output itself, or as the
    /// output's first three channels with its last three added as a residual.
    public enum Gate: Int, Sendable {
        case none = 0, sigmoid = 1, linear = 2, linearResidual = 3

        /// How the summary names it ("" for none).
        var label: String {
            switch self {
            case .none: ""
            case .sigmoid: ", gated mix"
            case .linear: ", linear mix"
            case .linearResidual: ", linear mix + residual"
            }
        }

        /// Channels of the last convolution: the image or the mix, plus the residual for 3.
        var outputChannels: Int { self == .linearResidual ? 6 : 3 }

        /// The last convolution's starting bias: an unbounded mix starts at 0.5 (the sources'
        /// mean), everything else (the image, the sigmoid's logits, the residual) at 0.
        var startBias: [Float] {
            switch self {
            case .none, .sigmoid: [0, 0, 0]
            case .linear: [0.5, 0.5, 0.5]
            case .linearResidual: [0.5, 0.5, 0.5, 0, 0, 0]
            }
        }
    }
    private typealias Conv = (Variable, Variable)
    private let inR: Conv, inG: Conv, body: [(Conv, Conv)], out: Conv

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "blocks", "skip", "gate"], architecture: a)
        guard scale == 1 else { throw ModelError.badArchitecture("\(a): merges two same-size images, scale must be 1 (got \(scale))") }
        features = try config.int("features", 32, 1...256, architecture: a)
        blocks = try config.int("blocks", 8, 0...32, architecture: a)
        skip = Skip(rawValue: try config.int("skip", 0, 0...2, architecture: a)) ?? .none
        gate = Gate(rawValue: try config.int("gate", 0, 0...3, architecture: a)) ?? .none
        guard gate == .none || skip == .none else { throw ModelError.badArchitecture("\(a): gate mixes x_R and x_G itself; set skip = 0") }
        self.config = config
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        func conv(_ name: String, _ cin: Int, _ cout: Int, gain: Float = 1, bias: [Float]? = nil) -> Conv {
            let w = Variable(Init.conv(&rng, out: cout, in: cin, k: 3, scale: gain), requiresGrad: true, name: name + ".weight")
            let b = Variable(Tensor(c: cout, h: 1, w: 1, data: bias ?? Array(repeating: 0, count: cout)), requiresGrad: true, name: name + ".bias")
            params += [NamedParameter(name: name + ".weight", shape: [cout, cin, 3, 3], variable: w),
                       NamedParameter(name: name + ".bias", shape: [cout], variable: b)]
            return (w, b)
        }
        let f = features
        inR = conv("in_r", 3, f); inG = conv("in_g", 3, f)
        body = (0..<blocks).map { (conv("body.\($0).conv1", f, f), conv("body.\($0).conv2", f, f, gain: 0.1)) }
        out = conv("out", f, gate.outputChannels, gain: skip == .none && gate == .none ? 1 : 0, bias: gate.startBias)
        parameters = params
    }

    public var summary: String { "FusionNet \(features)x\(blocks)\(skip.label)\(gate.label)" }

    public func graph() -> LayerGraph {
        var g = LayerGraph(inputChannels: 6)
        let r = g.add("take_r", .sliceChannels(start: 0, count: 3), g.input)
        let gan = g.add("take_g", .sliceChannels(start: 3, count: 3), g.input)
        var y = g.add("merge", .add, g.conv("in_r", r, inR.0, inR.1), g.conv("in_g", gan, inG.0, inG.1))
        for (i, (c1, c2)) in body.enumerated() {
            let t = g.add("b\(i)_relu", .relu, g.conv("b\(i)_conv1", y, c1.0, c1.1))
            y = g.add("b\(i)_add", .add, y, g.conv("b\(i)_conv2", t, c2.0, c2.1))
        }
        let o = g.conv("out", y, out.0, out.1)
        if gate != .none {
            let mix = switch gate {
            case .sigmoid: g.add("mix", .sigmoid, o)
            case .linearResidual: g.add("mix", .sliceChannels(start: 0, count: 3), o)
            case .none, .linear: o
            }
            let blend = g.add("blend", .add, gan, g.add("mix_diff", .multiply, mix, g.add("diff", .subtract, r, gan)))
            if gate == .linearResidual { g.add("correct", .add, blend, g.add("residual", .sliceChannels(start: 3, count: 3), o)) }
            return g
        }
        switch skip {
        case .none: break
        case .fidelity: g.add("add", .add, o, r)
        case .perceptual: g.add("add", .add, o, gan)
        }
        return g
    }
}
