import Foundation
import SRAutograd
import SRTensor

/// Seed 001's conditional denoising U-Net (SR3), sized for a CPU. The input is, stacked as
/// channels, the noisy residual x_t (3), the bicubic upsampling of the LR image (3) and the
/// timestep's sinusoidal embedding as `embedding` constant planes; the output is the
/// v-prediction for x_t (see `DiffusionSchedule`). It runs at the output resolution, scale 1;
/// `scale` is the enlargement the model was trained for.
///
/// Layout: a time MLP (1x1 convolutions on the embedding planes, SiLU), a 3x3 head, then per
/// level `blocks` residual blocks (GroupNorm, SiLU, conv, + the block's projection of the time
/// embedding, GroupNorm, SiLU, conv, skip) with `features x (1, 2, 4, ...)` channels, a stride-2
/// convolution between levels, a middle block, and the mirror path: a convolution at the lower
/// resolution, nearest x2 upsampling, concatenation with the level's skip, a residual block.
/// GroupNorm takes its statistics per pixel (`pixelGroupNorm`) instead of over the image, so a
/// tile computes exactly what the whole frame computes; SR3's self-attention is left out for the
/// same reason. `base` (bicubic) names what the residual is taken over and what the U-Net is
/// conditioned on: bicubic, or the output of a built-in regression model of the same scale
/// (e.g. `upscale-fast-x4`: the diffusion then only adds the detail regression cannot).
/// Settings: `features` (32), `levels` (3), `blocks` (1), `groups` (1: a per-pixel LayerNorm over
/// the channels, as ConvNeXt's; a group of few channels normalised per pixel loses their scale),
/// `embedding` (16), `residual_scale` (32: the residual is multiplied by it so that it has
/// roughly the noise's spread; its RMS is about 0.015 on photos), `steps` (2: the default DDIM
/// sampling steps; the built-in model scores best there, see the README).
public final class SR3UNet: TrainableNetwork {
    public static let architecture = "sr3_unet"
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// Base width, resolution levels, residual blocks per level, GroupNorm groups, embedding planes.
    public let features: Int, levels: Int, blocks: Int, groups: Int, embedding: Int
    /// The factor on the residual the diffusion runs on, and the default sampling steps.
    public let residualScale: Float, defaultSteps: Int
    /// `bicubic` or the built-in model whose output is the base.
    public let base: String
    /// Time-embedding width.
    var timeWidth: Int { 2 * features }
    private typealias Conv = (weight: Variable, bias: Variable, k: Int, stride: Int)
    private typealias Norm = (gamma: Variable, beta: Variable)
    private struct Block { let n1: Norm, c1: Conv, time: Conv, n2: Norm, c2: Conv, skip: Conv?, level: Int }
    private let mlp: (Conv, Conv), head: Conv, down: [[Block]], pools: [Conv], middle: Block
    private let ups: [Conv], upBlocks: [Block], outNorm: Norm, tail: Conv

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "levels", "blocks", "groups", "embedding", "residual_scale", "steps", "base"], architecture: a)
        guard [2, 4].contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 2 or 4 (got \(scale)); chain stages for more") }
        features = try config.int("features", 32, 4...256, architecture: a)
        levels = try config.int("levels", 3, 1...5, architecture: a)
        blocks = try config.int("blocks", 1, 1...8, architecture: a)
        groups = try config.int("groups", 1, 1...64, architecture: a)
        embedding = try config.int("embedding", 16, 2...128, architecture: a)
        residualScale = Float(try config.int("residual_scale", 32, 1...256, architecture: a))
        defaultSteps = try config.int("steps", 2, 1...1000, architecture: a)
        let bases = ["bicubic"] + BuiltinModels.variants.filter { $0.scale == scale && !$0.name.hasPrefix("upscale-sr3") }.map(\.name)
        base = try config.choice("base", "bicubic", bases, architecture: a)
        guard features % groups == 0, embedding % 2 == 0 else {
            throw ModelError.badArchitecture("\(a): features (\(features)) must be a multiple of groups (\(groups)), embedding even")
        }
        self.config = config; self.scale = scale
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        func add(_ name: String, _ shape: [Int], _ t: Tensor) -> Variable {
            let v = Variable(t, requiresGrad: true, name: name)
            params.append(NamedParameter(name: name, shape: shape, variable: v)); return v
        }
        func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, gain: Float = 1) -> Conv {
            (add("\(name).weight", [cout, cin, k, k], Init.conv(&rng, out: cout, in: cin, k: k, scale: gain)),
             add("\(name).bias", [cout], Init.constant(cout, 0)), k, stride)
        }
        func norm(_ name: String, _ c: Int) -> Norm {
            (add("\(name).weight", [c], Init.constant(c, 1)), add("\(name).bias", [c], Init.constant(c, 0)))
        }
        let d = 2 * features, levels = self.levels
        func block(_ name: String, _ cin: Int, _ cout: Int, level: Int) -> Block {
            Block(n1: norm("\(name).norm1", cin), c1: conv("\(name).conv1", cin, cout, 3),
                  time: conv("\(name).time", d, cout, 1, stride: 1 << level), n2: norm("\(name).norm2", cout),
                  c2: conv("\(name).conv2", cout, cout, 3, gain: 0.1), skip: cin == cout ? nil : conv("\(name).skip", cin, cout, 1), level: level)
        }
        let f = features, widths = (0..<levels).map { f << $0 }
        mlp = (conv("time.0", embedding, d, 1), conv("time.1", d, d, 1))
        head = conv("head", 6, f, 3)
        var c = f, downs: [[Block]] = [], poolConvs: [Conv] = []
        for l in 0..<levels {
            for b in 0..<blocks {
                if b == 0 { downs.append([]) }
                downs[l].append(block("down.\(l).\(b)", c, widths[l], level: l))
                c = widths[l]
            }
            if l + 1 < levels { poolConvs.append(conv("pool.\(l)", c, c, 3, stride: 2)) }
        }
        down = downs; pools = poolConvs
        middle = block("middle", c, c, level: levels - 1)
        var upConvs: [Conv] = [], upBs: [Block] = []
        for l in stride(from: levels - 1, through: 0, by: -1) {
            if l + 1 < levels { upConvs.append(conv("up.\(l)", c, c, 3)) }
            upBs.append(block("upblock.\(l)", c + widths[l], widths[l], level: l))
            c = widths[l]
        }
        ups = upConvs; upBlocks = upBs
        outNorm = norm("out.norm", f)
        tail = conv("out.conv", f, 3, 3, gain: 0.1)
        parameters = params
    }

    public var summary: String { "SR3 U-Net \(features)x\(levels) levels, \(blocks) block(s), \(base) base, x\(scale)" }

    /// The base model (nil: bicubic).
    public func baseModel() throws -> LoadedModel? {
        base == "bicubic" ? nil : try LoadedModel(descriptor: ModelCatalog.locate(base))
    }

    /// Frame sides must be multiples of this (the stride-2 levels).
    public var alignment: Int { 1 << (levels - 1) }

    public func graph() -> LayerGraph {
        var g = LayerGraph(inputChannels: 6 + embedding)
        func conv(_ name: String, _ c: Conv, _ x: LayerGraph.Value) -> LayerGraph.Value {
            g.add(name, .convolution(weight: c.weight, bias: c.bias, kernel: c.k, stride: c.stride, pad: c.k == 1 ? 0 : c.k / 2), x)
        }
        func normAct(_ name: String, _ n: Norm, _ x: LayerGraph.Value) -> LayerGraph.Value {
            g.add(name + "_silu", .silu, g.add(name, .pixelGroupNorm(groups: groups, gamma: n.gamma, beta: n.beta), x))
        }
        let x = g.add("take_x", .sliceChannels(start: 0, count: 6), g.input)
        let e = g.add("take_t", .sliceChannels(start: 6, count: embedding), g.input)
        let time = g.add("time1_silu", .silu, conv("time1", mlp.1, g.add("time0_silu", .silu, conv("time0", mlp.0, e))))
        func run(_ b: Block, _ name: String, _ x: LayerGraph.Value) -> LayerGraph.Value {
            let h = g.add(name + "_temb", .add, conv(name + "_conv1", b.c1, normAct(name + "_norm1", b.n1, x)), conv(name + "_time", b.time, time))
            let y = conv(name + "_conv2", b.c2, normAct(name + "_norm2", b.n2, h))
            return g.add(name + "_add", .add, b.skip.map { conv(name + "_skip", $0, x) } ?? x, y)
        }
        var h = conv("head", head, x), skips: [LayerGraph.Value] = []
        for l in 0..<levels {
            for (i, b) in down[l].enumerated() { h = run(b, "d\(l)_\(i)", h) }
            skips.append(h)
            if l + 1 < levels { h = conv("pool\(l)", pools[l], h) }
        }
        h = run(middle, "mid", h)
        for (i, l) in stride(from: levels - 1, through: 0, by: -1).enumerated() {
            if l + 1 < levels { h = g.add("up\(l)_resize", .interp(.nearest, scale: 2), conv("up\(l)", ups[i - 1], h)) }
            h = run(upBlocks[i], "u\(l)", g.add("u\(l)_cat", .concat, h, skips[l]))
        }
        g.add("out", .convolution(weight: tail.weight, bias: tail.bias, kernel: 3, stride: 1, pad: 1), normAct("out_norm", outNorm, h))
        return g
    }
}
