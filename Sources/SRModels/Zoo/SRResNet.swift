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

    private func apply(_ c: Conv, _ x: Variable) -> Variable { x.conv2d(c.weight, bias: c.bias, window: Window(kernel: c.k, pad: c.k / 2)) }
    private func apply(_ n: Norm, _ x: Variable, _ training: Bool) -> Variable {
        x.batchNorm(gamma: n.gamma, beta: n.beta, stats: n.stats, training: training)
    }

    public func forward(_ x: Variable, training: Bool) -> Variable {
        let h = apply(head.0, x).prelu(head.1)
        var y = h
        for (c1, n1, p, c2, n2) in body {
            y = y + apply(n2, apply(c2, apply(n1, apply(c1, y), training).prelu(p)), training)
        }
        y = h + apply(trunk.1, apply(trunk.0, y), training)
        for (c, p, r) in ups { y = apply(c, y).pixelShuffle(r).prelu(p) }
        y = apply(tail, y)
        return base.map { y + x.interp($0, scale: scale) } ?? y
    }

    /// Convolution weights and bias with the batch norm's running statistics folded in.
    private func folded(_ c: Conv, _ n: Norm) -> ([Float], [Float]) {
        var w = c.weight.value.data, b = c.bias.value.data
        let per = w.count / b.count
        for o in 0..<b.count {
            let k = n.gamma.value.data[o] / (n.stats.variance[o] + n.stats.epsilon).squareRoot()
            for i in 0..<per { w[o * per + i] *= k }
            b[o] = (b[o] - n.stats.mean[o]) * k + n.beta.value.data[o]
        }
        return (w, b)
    }

    public func exportNCNN() -> NCNNGraphWriter {
        var g = NCNNGraphWriter()
        let input = base == nil ? [g.input] : g.layer("Split", "split", [g.input], tops: 2)
        var h = g.conv("head", input[0], weight: head.0.weight.value.data, bias: head.0.bias.value.data, kernel: 9)
        h = g.prelu("head_prelu", h, slopes: head.1.value.data)
        let hs = g.layer("Split", "head_split", [h], tops: 2)
        var y = hs[0]
        for (i, (c1, n1, p, c2, n2)) in body.enumerated() {
            let s = g.layer("Split", "b\(i)_split", [y], tops: 2)
            let (w1, b1) = folded(c1, n1), (w2, b2) = folded(c2, n2)
            var t = g.conv("b\(i)_conv1", s[0], weight: w1, bias: b1)
            t = g.prelu("b\(i)_prelu", t, slopes: p.value.data)
            t = g.conv("b\(i)_conv2", t, weight: w2, bias: b2)
            y = g.layer("BinaryOp", "b\(i)_add", [s[1], t], params: "0=0")[0]
        }
        let (wt, bt) = folded(trunk.0, trunk.1)
        y = g.conv("trunk", y, weight: wt, bias: bt)
        y = g.layer("BinaryOp", "trunk_add", [hs[1], y], params: "0=0")[0]
        for (i, (c, p, r)) in ups.enumerated() {
            y = g.conv("up\(i)", y, weight: c.weight.value.data, bias: c.bias.value.data)
            y = g.layer("PixelShuffle", "up\(i)_shuffle", [y], params: "0=\(r)")[0]
            y = g.prelu("up\(i)_prelu", y, slopes: p.value.data)
        }
        y = g.conv("tail", y, weight: tail.weight.value.data, bias: tail.bias.value.data, kernel: 9)
        if let base {
            let b = g.upsample("base", input[1], mode: base, scale: scale)
            g.layer("BinaryOp", "add", [y, b], params: "0=0")
        }
        return g
    }
}
