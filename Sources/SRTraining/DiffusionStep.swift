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
/// diffusion model's x₀ estimate. With `on == .sample` they compare instead the image the
/// sampler makes from fresh noise in the network's default steps, exactly as `DiffusionSampler`
/// does it (DDIM, x̂₀ kept in range), with gradients through every U-Net pass: the network is
/// then trained for the few-step sampling it is used with. Deterministic for (seed, step).
enum DiffusionStep {
    static func loss(_ unet: SR3UNet, base model: LoadedModel?, lr: Tensor, hr: Tensor, terms loss: WeightedLoss, on: DiffusionTerms = .estimate,
                     seed: UInt64, step: Int, context: ExecutionContext) throws -> (total: Variable, terms: [(name: String, value: Float)]) {
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
        let image: Variable
        if on == .sample {
            var noise = base
            for j in 0..<noise.count { noise.data[j] = rng.normal() }
            image = sampled(unet, base: base, noise: noise, context: context)
        } else {
            let x0hat = Variable(a.zipMap(xt, *), context: context) - Variable(sigma, context: context) * vhat
            image = Variable(base, context: context) + x0hat * (1 / rs)
        }
        let (extra, more) = loss.evaluate(sr: image, hr: Variable(hr, context: context))
        logged += more
        return (denoise + extra, logged)
    }

    /// The sampler's image for `base` (n x 3 x h x w) from `noise` (its shape), differentiable:
    /// per step x̂₀ = a x_t - σ v̂, clamped to the residual range by base (as the sampler clamps,
    /// written with two ReLUs so its gradient is the clamp's), ε̂ = (x_t - a x̂₀) / σ, and
    /// x_t' = a' x̂₀ + σ' ε̂; the result is base + x̂₀ / residual_scale.
    static func sampled(_ unet: SR3UNet, base: Tensor, noise: Tensor, context: ExecutionContext) -> Variable {
        let rs = unet.residualScale, steps = unet.defaultSteps
        var low = base, high = base
        for j in 0..<base.count { low.data[j] = -base.data[j] * rs; high.data[j] = (1 - base.data[j]) * rs }
        let b = Variable(base, context: context), lo = Variable(low, context: context), hi = Variable(high, context: context)
        var x = Variable(noise, context: context), x0 = x
        for i in stride(from: steps, to: 0, by: -1) {
            let t = Float(i) / Float(steps), (at, st) = DiffusionSchedule.coefficients(t)
            let (ap, sp) = DiffusionSchedule.coefficients(Float(i - 1) / Float(steps))
            let planes = DiffusionSchedule.embeddingPlanes(Array(repeating: t, count: base.n), count: unet.embedding, h: base.h, w: base.w)
            let v = unet.forward(Variable.concat([x, b, Variable(planes, context: context)]), training: true)
            let e = x * at - v * st
            let kept = e - (e - hi).relu() + (lo - e).relu()
            let eps = st > 1e-4 ? (x - kept * at) * (1 / st) : x * st + v * at
            x0 = kept
            x = kept * ap + eps * sp
        }
        return b + x0 * (1 / rs)
    }
}
