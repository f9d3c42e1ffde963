import Foundation
import SRAutograd
import SRTensor

/// SRGAN's generator, SRResNet (seed 003): a 9x9 head convolution with PReLU, `blocks` residual
/// blocks (conv 3x3, batch norm, PReLU, conv, batch norm, skip), a convolution with batch norm
/// and a long skip, sub-pixel upsampling stages (conv, PixelShuffle x2 or x3, PReLU), and a 9x9
/// tail convolution. Settings: `features` (64), `blocks` (16), `base` (none, or an upsampling of
/// the input that is added: nearest, bilinear, bicubic). Batch norm uses batch statistics in
/// training and is folded into the convolutions on export.
public final class SRResNet: TrainableNetwork {
    public static let architecture = "srresnet"
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// Feature channels and residual blocks.
    public let features: Int, blocks: Int
    /// The added upsampling of the input, if any.
    public let base: ResampleMode?
    private typealias Conv = (weight: Variable, bias: Variable, k: Int)
    private typealias Norm = (gamma: Variable, beta: Variable, stats: BatchNormStats)
    private let head: (Conv, Variable)
    private let body: [(Conv, Norm, Variable, Conv, Norm)]
    private let trunk: (Conv, Norm)
    private let ups: [(Conv, Variable, Int)]
    private let tail: Conv

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "blocks", "base"], architecture: a)
        guard [2, 3, 4, 8].contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 2, 3, 4 or 8 (got \(scale))") }
        features = try config.int("features", 64, 1...256, architecture: a)
        blocks = try config.int("blocks", 16, 0...64, architecture: a)
        let baseName = try config.choice("base", "none", ["none"] + ResampleMode.allCases.map(\.rawValue), architecture: a)
        base = ResampleMode(rawValue: baseName)
        self.config = config; self.scale = scale
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        let f = features
        func add(_ name: String, _ shape: [Int], _ t: Tensor) -> Variable {
            let v = Variable(t, requiresGrad: true, name: name)
            params.append(NamedParameter(name: name, shape: shape, variable: v)); return v
        }
        func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int, gain: Float = 1) -> Conv {
            (add("\(name).weight", [cout, cin, k, k], Init.conv(&rng, out: cout, in: cin, k: k, scale: gain)),
             add("\(name).bias", [cout], Init.constant(cout, 0)), k)
        }
        func norm(_ name: String) -> Norm {
            (add("\(name).weight", [f], Init.constant(f, 1)), add("\(name).bias", [f], Init.constant(f, 0)), BatchNormStats(channels: f))
        }
        func prelu(_ name: String, _ c: Int) -> Variable { add("\(name).weight", [c], Init.constant(c, 0.25)) }
        head = (conv("head.conv", 3, f, 9), prelu("head.prelu", f))
        body = (0..<blocks).map { i in
            (conv("body.\(i).conv1", f, f, 3), norm("body.\(i).bn1"), prelu("body.\(i).prelu", f),
             conv("body.\(i).conv2", f, f, 3, gain: 0.1), norm("body.\(i).bn2"))
        }
        trunk = (conv("trunk.conv", f, f, 3), norm("trunk.bn"))
        let factors = scale == 3 ? [3] : Array(repeating: 2, count: scale.trailingZeroBitCount)
        ups = factors.enumerated().map { i, r in (conv("up.\(i).conv", f, f * r * r, 3), prelu("up.\(i).prelu", f), r) }
        tail = conv("tail.conv", f, 3, 9, gain: base == nil ? 1 : 0.1)
        parameters = params
    }

    public var buffers: [NamedBuffer] {
        var norms: [(String, BatchNormStats)] = []
        for (i, b) in body.enumerated() { norms += [("body.\(i).bn1", b.1.stats), ("body.\(i).bn2", b.4.stats)] }
        norms.append(("trunk.bn", trunk.1.stats))
        return norms.flatMap { name, s in
            [NamedBuffer(name: "\(name).running_mean", get: { s.mean }, set: { s.mean = $0 }),
             NamedBuffer(name: "\(name).running_var", get: { s.variance }, set: { s.variance = $0 })]
        }
    }

    public var summary: String { "SRResNet \(features)x\(blocks)\(base.map { ", \($0.rawValue) base" } ?? ""), x\(scale)" }

    public func graph() -> LayerGraph {
        var g = LayerGraph()
        func conv(_ name: String, _ c: Conv, _ x: LayerGraph.Value) -> LayerGraph.Value { g.conv(name, x, c.weight, c.bias, kernel: c.k) }
        func norm(_ name: String, _ n: Norm, _ x: LayerGraph.Value) -> LayerGraph.Value {
            g.add(name, .batchNorm(gamma: n.gamma, beta: n.beta, stats: n.stats), x)
        }
        let h = g.add("head_prelu", .prelu(slopes: head.1), conv("head", head.0, g.input))
        var y = h
        for (i, (c1, n1, p, c2, n2)) in body.enumerated() {
            let t = g.add("b\(i)_prelu", .prelu(slopes: p), norm("b\(i)_bn1", n1, conv("b\(i)_conv1", c1, y)))
            y = g.add("b\(i)_add", .add, y, norm("b\(i)_bn2", n2, conv("b\(i)_conv2", c2, t)))
        }
        y = g.add("trunk_add", .add, h, norm("trunk_bn", trunk.1, conv("trunk", trunk.0, y)))
        for (i, (c, p, r)) in ups.enumerated() {
            y = g.add("up\(i)_prelu", .prelu(slopes: p), g.add("up\(i)_shuffle", .pixelShuffle(factor: r), conv("up\(i)", c, y)))
        }
        y = conv("tail", tail, y)
        if let base { g.add("add", .add, y, g.add("base", .interp(base, scale: scale), g.input)) }
        return g
    }
}
