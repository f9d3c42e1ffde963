import SRAutograd
import SRDegrade
import SRLosses
import SRModels
import SRPipeline

/// Where a diffusion network's `[[loss]]` terms apply (`[diffusion] terms`): the x̂₀ estimate at
/// a random time (seed 000's way) or the image of the full few-step sampler from noise.
public enum DiffusionTerms: String, Sendable, CaseIterable {
    case estimate, sample
}

/// Everything one `upscale train` run needs, typed (the CLI reads it from TOML).
public struct TrainConfig: Sendable, Equatable {
    /// Architecture registry name (e.g. `srvgg_compact`) and its settings.
    public var architecture: String
    public var network = ArchitectureConfig()
    /// Enlargement factor.
    public var scale: Int
    /// Loss terms with weights.
    public var losses: [LossSpec] = [LossSpec(type: "l1")]
    /// Adam settings and the learning-rate schedule.
    public var schedule = LRSchedule(base: 5e-4, kind: .cosine(total: 1000, minimum: 1e-5))
    public var beta1: Float = 0.9, beta2: Float = 0.99, weightDecay: Float = 0
    /// Global gradient-norm limit (0: no clipping).
    public var clipNorm: Float = 0
    /// Optimizer steps, images per batch and LR crop side in pixels.
    public var steps = 1000, batch = 16, crop = 48
    /// Training and validation image folders (HR images; LR is made by bicubic downscaling).
    public var trainDirs: [String] = [], valDirs: [String] = []
    /// Validate every this many steps (0: only at the end); HR side of the centre crop validated (0: whole images).
    public var validateEvery = 250, validationCrop = 384
    /// Save the weights of the validation with the best PSNR-Y instead of the last (seed 004's
    /// model selection; `[validation] keep_best`).
    public var keepBest = false
    /// Write a checkpoint every this many steps (0: only at the end).
    public var checkpointEvery = 500
    /// Degradations on LR crops: gaussian blur sigma range and noise sigma range (0...1 scale), probability each.
    public var blurSigma: ClosedRange<Float> = 0...0, noiseSigma: ClosedRange<Float> = 0...0, degradeProbability: Float = 0
    /// JPEG degradation: quantizer-scale range (2 best ... 31 worst), with the same probability; nil for none.
    public var jpegQScale: ClosedRange<Int>?
    /// The random degradation model (`[data.degradation]`): LR crops are made from HR crops by it
    /// instead of taken from the bicubic LR images; nil for none.
    public var degradation: DegradationConfig?
    /// Start from these weights (a `.safetensors` file or a built-in model name) instead of random ones.
    public var initFrom: String?
    /// Discriminator width and learning rate (used when a loss is `adversarial`).
    public var discriminatorFeatures = 32, discriminatorLR: Float = 1e-4
    /// For a `fusion` network: the two models (names or `.safetensors` files, of `scale`) whose
    /// outputs it learns to merge; the network itself then has scale 1.
    public var fusionSources: [String]?
    /// The network's own scale: 1 for a fusion network, else `scale`.
    public var networkScale: Int { fusionSources == nil ? scale : 1 }
    /// For a diffusion network: what its `[[loss]]` terms compare with HR.
    public var diffusionTerms = DiffusionTerms.estimate
    /// Random seed: the same seed and config give the same run.
    public var seed: UInt64 = 1
    /// Worker threads (images of a batch run in parallel).
    public var threads = 2
    /// Where the final model goes (`.safetensors`); the checkpoint is `<output>.ckpt`.
    public var output: String

    /// Creates a config with defaults for everything optional.
    public init(architecture: String, scale: Int, output: String) {
        self.architecture = architecture; self.scale = scale; self.output = output
    }

    /// The checkpoint path.
    public var checkpointPath: String { output + ".ckpt" }

    /// Throws on values that cannot work, naming the key.
    public func validate() throws {
        func bad(_ s: String) -> PipelineError { .invalidOption(s) }
        guard (1...8).contains(scale) else { throw bad("scale must be 1...8 (got \(scale))") }
        guard steps > 0 else { throw bad("steps must be > 0") }
        guard (1...256).contains(batch) else { throw bad("batch must be 1...256 (got \(batch))") }
        guard (8...512).contains(crop) else { throw bad("crop must be 8...512 LR pixels (got \(crop))") }
        guard schedule.base > 0 else { throw bad("learning rate must be > 0") }
        if architecture == "fusion" {
            guard let f = fusionSources, f.count == 2 else { throw bad("a fusion network needs fusion.sources = [fidelity model, perceptual model]") }
        }
        let net = try ArchitectureRegistry.make(architecture, config: network, scale: networkScale)
        if let unet = net as? SR3UNet {
            guard (crop * scale) % unet.alignment == 0 else { throw bad("\(architecture): crop x scale (\(crop * scale)) must be a multiple of \(unet.alignment) (its levels)") }
            guard !losses.contains(where: { $0.type == "adversarial" }) else { throw bad("\(architecture): no adversarial loss for a diffusion model") }
        } else if diffusionTerms != .estimate {
            throw bad("diffusion.terms applies to a diffusion network (sr3_unet) only")
        } else if losses.isEmpty {
            throw bad("no loss: add a [[loss]] table (only a diffusion network trains with its denoising loss alone)")
        }
        if losses.contains(where: { $0.target != .hr }) && fusionSources == nil {
            throw bad("a loss with target = fidelity or perceptual compares with a fusion source: it needs [fusion] sources")
        }
        if keepBest && valDirs.isEmpty { throw bad("validation.keep_best needs validation images (data.val)") }
        _ = try WeightedLoss(losses)
        guard !trainDirs.isEmpty else { throw bad("no training images: set data.train (run `make data` for the default set)") }
        guard validateEvery >= 0, checkpointEvery >= 0 else { throw bad("validate_every and checkpoint_every must be >= 0") }
        guard (0...1).contains(degradeProbability) else { throw bad("degrade_probability must be 0...1") }
        guard output.hasSuffix(".safetensors") else { throw bad("output must end in .safetensors (got \(output))") }
    }
}
