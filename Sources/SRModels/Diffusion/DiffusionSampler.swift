import SRKernels
import SRTensor

/// DDIM sampling (η = 0) of an SR3 model: from position-seeded noise to the residual over the
/// base (bicubic or a regression model's output) in `steps`
/// evaluations of the U-Net, each on the whole input it is given (the tiled runner hands it
/// tiles with their frame position in the context, so the noise of a pixel does not depend on
/// the tiling).
///
/// Immutable and `Sendable`: tiles may be sampled on several threads at once.
public struct DiffusionSampler: Sendable {
    /// The denoising U-Net (input: x_t, bicubic, embedding planes; output: v̂).
    public private(set) var net: NCNNNet
    /// Enlargement, embedding planes, side alignment of the U-Net, residual factor.
    public let scale: Int, embedding: Int, alignment: Int, residualScale: Float
    /// Sampling steps and noise seed.
    public var steps: Int, seed: UInt64
    /// The regression model whose output is the base (nil: bicubic).
    public let baseModel: LoadedModel?

    /// The sampler of a trained SR3 network with its default steps and seed 0.
    public init(_ unet: SR3UNet, net: NCNNNet) throws {
        self.net = net
        scale = unet.scale; embedding = unet.embedding; alignment = unet.alignment; residualScale = unet.residualScale
        steps = unet.defaultSteps; seed = 0
        baseModel = try unet.baseModel()
    }

    /// The base of `lr` (1 x 3 x h x w): bicubic or the base model's output, clamped to 0...1
    /// (training uses the same function).
    public static func base(_ lr: Tensor, scale: Int, model: LoadedModel?, context: ExecutionContext) throws -> Tensor {
        var b = try model?.upscale(lr, context: context) ?? Kernels.interp(lr, mode: .bicubic, outH: lr.h * scale, outW: lr.w * scale)
        b.clamp()
        return b
    }

    /// The same sampler with another network variant (Winograd on or off).
    func with(net: NCNNNet) -> DiffusionSampler {
        var s = self
        s.net = net
        return s
    }

    /// Enlarges `image` (1 x 3 x h x w, RGB 0...1) whose top-left pixel is (`context.originX`,
    /// `context.originY`) of the frame: the base + the sampled residual. Not clamped.
    public func sample(_ image: Tensor, context: ExecutionContext) throws -> Tensor {
        let oh = image.h * scale, ow = image.w * scale, a = max(alignment, 1)
        let ph = (oh + a - 1) / a * a, pw = (ow + a - 1) / a * a
        var base = try DiffusionSampler.base(image, scale: scale, model: baseModel, context: context)
        if ph != oh || pw != ow { base = Kernels.replicatePad(base, top: 0, left: 0, bottom: ph - oh, right: pw - ow) }
        var x = DiffusionSchedule.noise(seed: seed, channels: 3, x: context.originX * scale, y: context.originY * scale, h: ph, w: pw)
        var x0 = x
        let rs = residualScale
        for i in stride(from: steps, to: 0, by: -1) {
            let t = Float(i) / Float(steps), (at, st) = DiffusionSchedule.coefficients(t)
            let (ap, sp) = DiffusionSchedule.coefficients(Float(i - 1) / Float(steps))
            let input = Kernels.concatChannels([x, base, DiffusionSchedule.embeddingPlanes([t], count: embedding, h: ph, w: pw)])
            let v = try net.forward(input: input, context: context)
            for j in 0..<x.count {
                // x̂0, kept where base + x̂0 / rs stays in 0...1; ε̂ from the kept x̂0.
                let c = base.data[j], e = at * x.data[j] - st * v.data[j]
                let kept = min(max(e, -c * rs), (1 - c) * rs)
                let eps = st > 1e-4 ? (x.data[j] - at * kept) / st : st * x.data[j] + at * v.data[j]
                x0.data[j] = kept
                x.data[j] = ap * kept + sp * eps
            }
        }
        for j in 0..<x0.count { x0.data[j] = base.data[j] + x0.data[j] / rs }
        return ph == oh && pw == ow ? x0 : Kernels.crop(x0, top: 0, left: 0, h: oh, w: ow)
    }
}
