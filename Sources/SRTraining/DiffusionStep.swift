import SRAutograd
import SRKernels
import SRLosses
import SRModels
import SRTensor

/// The training loss of an SR3 network (seed 001) on one batch, with seed 000's terms on top.
///
/// Per image: the residual x₀ = (HR - base(LR)) · residual_scale (base: bicubic or the
/// network's base model, as in sampling), a time t uniform in (0, 1],
/// noise ε, x_t = a x₀ + σ ε; the network sees (x_t, bicubic, embedding(t)) and predicts v;
/// the denoising term is mean (v̂ - v)² with v = a ε - σ x₀ (weight 1, logged as `denoise`).
/// The configured `[[loss]]` terms (e.g. MSHF) compare the image of the x̂₀ estimate,
/// base + (a x_t - σ v̂) / residual_scale, with HR, as seed 000 applies its loss to the
/// diffusion model's x₀ estimate. Deterministic for (seed, step).
enum DiffusionStep {
    static func loss(_ unet: SR3UNet, base model: LoadedModel?, lr: Tensor, hr: Tensor, terms loss: WeightedLoss, seed: UInt64, step: Int,
                     context: ExecutionContext) throws -> (total: Variable, terms: [(name: String, value: Float)]) {
        let n = hr.n, plane = hr.h * hr.w, each = 3 * plane, rs = unet.residualScale
        var base = Tensor(n: n, c: 3, h: hr.h, w: hr.w)
        for b in 0..<n {
            let up = try DiffusionSampler.base(lr.image(b), scale: unet.scale, model: model, context: context)
            for j in 0..<each { base.data[b * each + j] = up.data[j] }
        }
        var rng = SeededRandom(seed: seed ^ (UInt64(step + 1) &* 0x9E37_79B9_7F4A_7C15))
        let times = (0..<n).map { _ in 1 - rng.unit() }
        var xt = base, v = base, a = base, sigma = base
        for b in 0..<n {
            let (at, st) = DiffusionSchedule.coefficients(times[b])
            for j in (b * each)..<((b + 1) * each) {
                let x0 = (hr.data[j] - base.data[j]) * rs, eps = rng.normal()
                xt.data[j] = at * x0 + st * eps
                v.data[j] = at * eps - st * x0
                a.data[j] = at; sigma.data[j] = st
            }
        }
        let planes = DiffusionSchedule.embeddingPlanes(times, count: unet.embedding, h: hr.h, w: hr.w)
        let input = Variable(Kernels.concatChannels([xt, base, planes]), context: context)
        let vhat = unet.forward(input, training: true)
        let denoise = (vhat - Variable(v, context: context)).square().mean()
        var logged = [(name: "denoise", value: denoise.scalar)]
        guard !loss.terms.isEmpty else { return (denoise, logged) }
        let x0hat = Variable(a.zipMap(xt, *), context: context) - Variable(sigma, context: context) * vhat
        let image = Variable(base, context: context) + x0hat * (1 / rs)
        let (extra, more) = loss.evaluate(sr: image, hr: Variable(hr, context: context))
        logged += more
        return (denoise + extra, logged)
    }
}
