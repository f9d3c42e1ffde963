import SRAutograd
import SRTensor

/// Seed 004's fusion network: x̂ = Conv(Res8(Conv(x_R) + Conv(x_G))), merging a fidelity model's
/// output x_R with a perceptual (GAN) model's output x_G of the same size. The input is the two
/// images stacked as 6 channels (x_R first); scale 1; 3x3 convolutions, `blocks` (8) residual
/// blocks of conv-ReLU-conv, and x_R added to the output so that training starts from it.
/// Settings: `features` (32), `blocks` (8).
public final class FusionNet: TrainableNetwork {
    public static let architecture = "fusion"
    public let config: ArchitectureConfig
    public let scale = 1
    public let parameters: [NamedParameter]
    /// Width and residual blocks.
    public let features: Int, blocks: Int
    private typealias Conv = (Variable, Variable)
    private let inR: Conv, inG: Conv, body: [(Conv, Conv)], out: Conv

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "blocks"], architecture: a)
        guard scale == 1 else { throw ModelError.badArchitecture("\(a): merges two same-size images, scale must be 1 (got \(scale))") }
        features = try config.int("features", 32, 1...256, architecture: a)
        blocks = try config.int("blocks", 8, 0...32, architecture: a)
        self.config = config
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        func conv(_ name: String, _ cin: Int, _ cout: Int, gain: Float = 1) -> Conv {
            let w = Variable(Init.conv(&rng, out: cout, in: cin, k: 3, scale: gain), requiresGrad: true, name: name + ".weight")
            let b = Variable(Init.constant(cout, 0), requiresGrad: true, name: name + ".bias")
            params += [NamedParameter(name: name + ".weight", shape: [cout, cin, 3, 3], variable: w),
                       NamedParameter(name: name + ".bias", shape: [cout], variable: b)]
            return (w, b)
        }
        let f = features
        inR = conv("in_r", 3, f); inG = conv("in_g", 3, f)
        body = (0..<blocks).map { (conv("body.\($0).conv1", f, f), conv("body.\($0).conv2", f, f, gain: 0.1)) }
        out = conv("out", f, 3, gain: 0.1)
        parameters = params
    }

    public var summary: String { "FusionNet \(features)x\(blocks)" }

    private func apply(_ c: Conv, _ x: Variable) -> Variable { x.conv2d(c.0, bias: c.1, window: Window(kernel: 3, pad: 1)) }

    public func forward(_ x: Variable, training: Bool) -> Variable {
        let r = x.crop(channel: 0, c: 3, top: 0, left: 0, h: x.h, w: x.w), g = x.crop(channel: 3, c: 3, top: 0, left: 0, h: x.h, w: x.w)
        var y = apply(inR, r) + apply(inG, g)
        for (c1, c2) in body { y = y + apply(c2, apply(c1, y).relu()) }
        return apply(out, y) + r
    }

    public func exportNCNN() -> NCNNGraphWriter {
        var g = NCNNGraphWriter()
        g.replaceInput(channels: 6)
        let s = g.layer("Split", "split", [g.input], tops: 2)
        let r = g.layer("Crop", "take_r", [s[0]], params: "2=0 3=-233 4=-233 5=3")[0]
        let gan = g.layer("Crop", "take_g", [s[1]], params: "2=3 3=-233 4=-233 5=3")[0]
        let rs = g.layer("Split", "r_split", [r], tops: 2)
        let a = g.conv("in_r", rs[0], weight: inR.0.value.data, bias: inR.1.value.data)
        let b = g.conv("in_g", gan, weight: inG.0.value.data, bias: inG.1.value.data)
        var y = g.layer("BinaryOp", "merge", [a, b], params: "0=0")[0]
        for (i, (c1, c2)) in body.enumerated() {
            let sp = g.layer("Split", "b\(i)_split", [y], tops: 2)
            var t = g.conv("b\(i)_conv1", sp[0], weight: c1.0.value.data, bias: c1.1.value.data, activation: "9=1")
            t = g.conv("b\(i)_conv2", t, weight: c2.0.value.data, bias: c2.1.value.data)
            y = g.layer("BinaryOp", "b\(i)_add", [sp[1], t], params: "0=0")[0]
        }
        y = g.conv("out", y, weight: out.0.value.data, bias: out.1.value.data)
        g.layer("BinaryOp", "add", [y, rs[1]], params: "0=0")
        return g
    }
}
