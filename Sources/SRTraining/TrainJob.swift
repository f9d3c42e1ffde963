import Dispatch
import Foundation
import SRAutograd
import SRKernels
import SRLosses
import SRMedia
import SRModels
import SRPipeline
import SRTensor

/// What a training run reports as it goes.
public enum TrainEvent: Sendable {
    /// Data loaded: training and validation image counts, parameter count, architecture summary.
    case started(trainImages: Int, valImages: Int, parameters: Int, summary: String)
    /// Resumed from a checkpoint after this many steps.
    case resumed(step: Int)
    /// One optimizer step: 1-based step, learning rate, each unweighted loss term, the weighted total, steps/s.
    case step(step: Int, of: Int, lr: Float, terms: [(name: String, value: Float)], total: Float, stepsPerSecond: Double)
    /// Validation: mean PSNR-Y of the network and of bicubic on the validation crops.
    case validated(step: Int, psnrY: Double, bicubicPSNRY: Double)
    /// A checkpoint or the final model was written.
    case saved(path: String, step: Int)
}

/// The outcome of a run.
public struct TrainSummary: Sendable {
    /// Steps done in total (including those before a resume), and seconds this process trained.
    public var steps: Int, seconds: Double
    /// Loss totals averaged over the first 5 and the last 10% of this process's steps.
    public var firstLoss: Float, lastLoss: Float
    /// Validation PSNR-Y before the first step of this process and at the end, and bicubic's.
    public var firstPSNRY: Double?, lastPSNRY: Double?, bicubicPSNRY: Double?
    /// The model file written.
    public var output: String
}

/// `upscale train`: trains an architecture on HR images with the configured losses.
///
/// Threading: the step loop runs on the calling thread; each op spreads the batch over
/// `threads` Dispatch workers (one BLAS thread each; the job's own `ExecutionContext`, carried by
/// its variables) and the next batch is drawn on a background
/// queue meanwhile. `cancel` stops the run after the current step, writing a checkpoint first so
/// `--resume` continues exactly there (throws `interrupted`).
public enum TrainJob {
    /// Builds the configured network without training: its summary and learned-value count
    /// (`upscale train --check`). Throws what `run` would throw for the config itself.
    public static func check(_ config: TrainConfig) throws -> (summary: String, parameters: Int) {
        try config.validate()
        let net = try ArchitectureRegistry.make(config.architecture, config: config.network, scale: config.networkScale, seed: config.seed)
        _ = try WeightedLoss(config.losses)
        return (net.summary, net.parameterCount)
    }

    /// Creates the folder of `output` before any step runs, so a missing folder fails at once, not
    /// at the first checkpoint.
    static func makeOutputFolder(_ output: String) throws {
        let dir = (output as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw TrainingError.config("cannot create the output folder '\(dir)' for '\(output)': \(error.localizedDescription)")
        }
    }

    /// Runs training; with `resume`, continues from `config.checkpointPath` when it exists.
    public static func run(_ config: TrainConfig, resume: Bool = false, cancel: CancelFlag = CancelFlag(),
                           events: (TrainEvent) -> Void = { _ in }) throws -> TrainSummary {
        try config.validate()
        try TrainJob.makeOutputFolder(config.output)
        // The batch's images run on `threads` workers, each GEMM on one (see `Variable.context`).
        let context = ExecutionContext(threads: config.threads, blasThreads: 1)
        let net = try ArchitectureRegistry.make(config.architecture, config: config.network, scale: config.networkScale, seed: config.seed)
        let sources = try (config.fusionSources ?? []).map(TrainJob.fusionSource(scale: config.scale))
        let loss = try WeightedLoss(config.losses)
        let diffusionBase = try (net as? SR3UNet)?.baseModel()
        let train = try TrainingImages(folders: config.trainDirs, scale: config.scale, minSide: config.crop)
        let val = config.valDirs.isEmpty ? nil
            : try TrainingImages(folders: config.valDirs, scale: config.scale, minSide: 8, maxSide: config.validationCrop > 0 ? config.validationCrop : nil)
        let sampler = PairSampler(images: train, batch: config.batch, crop: config.crop, seed: config.seed,
                                  blurSigma: config.blurSigma, noiseSigma: config.noiseSigma, jpegQScale: config.jpegQScale,
                                  degradeProbability: config.degradeProbability, degradation: config.degradation)
        if let from = config.initFrom { try net.load(try TrainJob.initialWeights(from), file: from) }
        let params = net.variables
        let adam = Adam(sizes: params.map(\.value.count), beta1: config.beta1, beta2: config.beta2, weightDecay: config.weightDecay)
        // A GAN: the adversarial term gets a discriminator, trained after each generator step.
        var gan: (d: VGGDiscriminator, adam: Adam)?
        if let adversarial = loss.terms.compactMap({ $0.loss as? AdversarialLoss }).first {
            let d = VGGDiscriminator(features: config.discriminatorFeatures, seed: config.seed)
            adversarial.discriminator = d
            gan = (d, Adam(sizes: d.variables.map(\.value.count), beta1: 0.9, beta2: config.beta2))
        }
        events(.started(trainImages: train.pairs.count, valImages: val?.pairs.count ?? 0, parameters: net.parameterCount, summary: net.summary))

        var start = 0
        if resume, FileManager.default.fileExists(atPath: config.checkpointPath) {
            start = try Checkpoint.restore(config.checkpointPath, into: net, optimizer: adam, discriminator: gan)
            events(.resumed(step: start))
        }
        let bicubic = val.map { Validation.bicubicPSNRY($0) }
        var summary = TrainSummary(steps: start, seconds: 0, firstLoss: 0, lastLoss: 0, bicubicPSNRY: bicubic, output: config.output)
        if let val {
            // The starting point, so that every later line shows progress.
            let p = try Validation.psnrY(net, val, sources: sources, context: context)
            summary.firstPSNRY = p
            events(.validated(step: start, psnrY: p, bicubicPSNRY: bicubic ?? 0))
        }
        var totals: [Float] = []
        var best = BestWeights()
        if config.keepBest, let p = summary.firstPSNRY { best.offer(p, step: start, net) }
        let began = Date()
        let prefetch = Prefetcher(sampler: sampler)
        prefetch.request(start)
        for step in start..<config.steps {
            let (taken, hr) = prefetch.take()
            let lr = try TrainJob.fusionInput(taken, sources: sources, context: context)
            if step + 1 < config.steps { prefetch.request(step + 1) }
            let t0 = Date()
            let target = Variable(hr, context: context)
            let sr: Variable, total: Variable, logged: [(name: String, value: Float)]
            if let unet = net as? SR3UNet {
                (total, logged) = try DiffusionStep.loss(unet, base: diffusionBase, lr: lr, hr: hr, terms: loss, on: config.diffusionTerms,
                                                         seed: config.seed, step: step, context: context)
                sr = target
            } else {
                sr = net.forward(Variable(lr, context: context), training: true)
                (total, logged) = loss.evaluate(sr: sr, hr: target, sources: TrainJob.fusionPair(lr, sources: sources, context: context))
            }
            var terms = logged
            total.backward()
            if config.clipNorm > 0 { GradientClip.clip(params, maxNorm: config.clipNorm) }
            let rate = config.schedule.rate(at: step)
            adam.step(params, lr: rate)
            if let gan {
                for v in gan.d.variables { v.grad = nil }  // the generator's pass left gradients there
                let dl = AdversarialLoss.discriminatorLoss(gan.d, real: target, fake: sr)
                dl.backward()
                gan.adam.step(gan.d.variables, lr: config.discriminatorLR * rate / config.schedule.base)
                terms.append(("d", dl.scalar))
            }
            totals.append(total.scalar)
            guard total.scalar.isFinite else {
                throw PipelineError.invalidOption("the loss became \(total.scalar) at step \(step + 1): lower the learning rate or enable clip_norm")
            }
            events(.step(step: step + 1, of: config.steps, lr: rate, terms: terms, total: total.scalar,
                         stepsPerSecond: 1 / max(Date().timeIntervalSince(t0), 1e-9)))
            let done = step + 1
            summary.steps = done
            if let val, (config.validateEvery > 0 && done % config.validateEvery == 0) || done == config.steps {
                let p = try Validation.psnrY(net, val, sources: sources, context: context)
                if summary.firstPSNRY == nil { summary.firstPSNRY = p }
                summary.lastPSNRY = p
                if config.keepBest { best.offer(p, step: done, net) }
                events(.validated(step: done, psnrY: p, bicubicPSNRY: bicubic ?? 0))
            }
            let interrupted = cancel.isCancelled
            if (config.checkpointEvery > 0 && done % config.checkpointEvery == 0 && done < config.steps) || interrupted {
                try Checkpoint.save(net, optimizer: adam, discriminator: gan, step: done, to: config.checkpointPath)
                events(.saved(path: config.checkpointPath, step: done))
            }
            if interrupted { throw PipelineError.interrupted }
        }
        summary.seconds = Date().timeIntervalSince(began)
        let head = Array(totals.prefix(5)), tail = Array(totals.suffix(max(1, totals.count / 10)))
        summary.firstLoss = head.reduce(0, +) / Float(max(head.count, 1))
        summary.lastLoss = tail.reduce(0, +) / Float(max(tail.count, 1))
        var meta = ["steps": "\(summary.steps)", "seed": "\(config.seed)",
                    "losses": config.losses.map(\.summary).joined(separator: "+")]
        if let p = summary.lastPSNRY { meta["val_psnr_y"] = String(format: "%.3f", p) }
        if config.keepBest, let kept = best.restore(into: net) {
            meta["val_psnr_y"] = String(format: "%.3f", kept.psnr); meta["kept_step"] = "\(kept.step)"
        }
        if let f = config.fusionSources { meta["sources"] = f.joined(separator: ",") }
        try AtomicFile.write(Data(try net.safeTensors(extra: meta).serialized()), to: config.output)
        events(.saved(path: config.output, step: summary.steps))
        try? FileManager.default.removeItem(atPath: config.checkpointPath)
        return summary
    }
}

extension TrainJob {
    /// A fusion source model, which must enlarge by `scale`.
    static func fusionSource(scale: Int) -> (String) throws -> LoadedModel {
        { name in
            let m = try LoadedModel.source(name)
            guard m.scale == scale else { throw PipelineError.unsupportedScale(model: m.descriptor.name, scale: scale, available: [m.scale]) }
            return m
        }
    }

    /// For fusion training, the sources' outputs for each LR image stacked as 6 channels; else `lr`.
    static func fusionInput(_ lr: Tensor, sources: [LoadedModel], context: ExecutionContext) throws -> Tensor {
        guard sources.count == 2 else { return lr }
        var parts: [Tensor] = []
        for b in 0..<lr.n {
            let x = lr.image(b)
            parts.append(Kernels.concatChannels([try sources[0].upscale(x, context: context),
                                                 try sources[1].upscale(x, context: context)]))
        }
        guard let first = parts.first else { return lr }
        return Tensor(n: parts.count, c: 6, h: first.h, w: first.w, data: parts.flatMap(\.data))
    }

    /// For fusion training, the stacked sources split back into x_R and x_G (constants); else nil.
    static func fusionPair(_ stacked: Tensor, sources: [LoadedModel], context: ExecutionContext) -> (fidelity: Variable, perceptual: Variable)? {
        guard sources.count == 2 else { return nil }
        return (Variable(Kernels.crop(stacked, top: 0, left: 0, c: 3, h: stacked.h, w: stacked.w), context: context),
                Variable(Kernels.crop(stacked, channel: 3, top: 0, left: 0, c: 3, h: stacked.h, w: stacked.w), context: context))
    }

    /// The weights of a `.safetensors` file or of a built-in model.
    static func initialWeights(_ from: String) throws -> SafeTensors {
        if let bytes = BuiltinModels.bytes(from) { return try SafeTensors(bytes: bytes, file: from) }
        guard FileManager.default.fileExists(atPath: from) else {
            throw PipelineError.invalidOption("init: '\(from)' is neither a file nor a built-in model")
        }
        return try SafeTensors(contentsOf: from)
    }
}

/// The weights of the best validation so far (`[validation] keep_best`; the validations of this
/// process, not those before a resume).
struct BestWeights {
    private var psnr = -Double.infinity, step = 0
    private var values: [[Float]] = [], buffers: [[Float]] = []

    /// Keeps the network's current weights when `p` beats the best so far.
    mutating func offer(_ p: Double, step: Int, _ net: any TrainableNetwork) {
        guard p > psnr else { return }
        psnr = p; self.step = step
        values = net.parameters.map(\.variable.value.data); buffers = net.buffers.map { $0.get() }
    }

    /// Puts the kept weights back; their PSNR-Y and step, or nil when nothing was kept.
    func restore(into net: any TrainableNetwork) -> (psnr: Double, step: Int)? {
        guard !values.isEmpty else { return nil }
        for (p, v) in zip(net.parameters, values) { p.variable.value.data = v }
        for (b, v) in zip(net.buffers, buffers) { b.set(v) }
        return (psnr, step)
    }
}

/// Draws batch k+1 on a background queue while step k runs.
final class Prefetcher: @unchecked Sendable {
    private let sampler: PairSampler
    private let queue = DispatchQueue(label: "upscale.train.data")
    private let ready = DispatchSemaphore(value: 0)
    private var slot: (Tensor, Tensor)?

    init(sampler: PairSampler) { self.sampler = sampler }

    /// Starts drawing batch `k`.
    func request(_ k: Int) {
        queue.async { [self] in
            let b = sampler.batch(k)
            slot = b
            ready.signal()
        }
    }

    /// Waits for the requested batch.
    func take() -> (Tensor, Tensor) {
        ready.wait()
        return queue.sync { slot ?? (Tensor(c: 0, h: 0, w: 0), Tensor(c: 0, h: 0, w: 0)) }
    }
}
