/// The random degradation model of training (`[data.degradation]` in a training TOML), after
/// Real-ESRGAN's high-order model, with video codecs added. Each crop draws its own values from
/// these ranges; probabilities are per crop. Sigmas of blur are in HR pixels, noise in 8-bit levels.
public struct DegradationConfig: Sendable, Equatable {
    /// Probability that a crop is only bicubic-downscaled (keeps the model good on clean input).
    public var clean: Float = 0.25
    /// Blur: probability, gaussian sigma range, kernel sides (odd), share of anisotropic,
    /// generalized gaussian and sinc kernels among blurs.
    public var blurProbability: Float = 0.6
    public var blurSigma: ClosedRange<Float> = 0.2...1.5
    public var kernelSize: ClosedRange<Int> = 7...13
    public var anisotropic: Float = 0.4, generalized: Float = 0.15, sinc: Float = 0.1
    /// Intermediate resize: probability and factor range relative to the LR size (random kernel:
    /// area, bilinear, bicubic or lanczos); the final resize to the LR size also draws its kernel.
    public var resizeProbability: Float = 0.5
    public var resize: ClosedRange<Float> = 0.75...1.5
    /// Noise: probability, gaussian sigma range (0...255), poisson scale range, share of poisson
    /// among noises, share of gray noise.
    public var noiseProbability: Float = 0.3
    public var noiseSigma: ClosedRange<Float> = 1...8
    public var poissonScale: ClosedRange<Float> = 0.05...1
    public var poisson: Float = 0.4, grayNoise: Float = 0.4
    /// Compression: probability, then the share of each kind (normalized): libx264 CRF range,
    /// mpeg2video quantizer range, JPEG quantizer-scale range (2...31, as `ffmpeg -q:v`).
    public var compressionProbability: Float = 0.9
    public var h264Share: Float = 0.6, mpeg2Share: Float = 0.2, jpegShare: Float = 0.2
    public var h264CRF: ClosedRange<Int> = 18...34
    public var mpeg2Q: ClosedRange<Int> = 2...12
    public var jpegQ: ClosedRange<Int> = 2...12
    /// Pictures per codec round trip (the crop is one of them, at a random position, the others
    /// shifted copies), so inter prediction shapes some crops.
    public var frames = 3
    /// Probability of a second blur / noise / compression pass (Real-ESRGAN's second order).
    public var secondOrder: Float = 0.2

    /// The defaults (documented in `presets/training/README.md`).
    public init() {}

    /// Throws on a value outside its range, naming the key.
    public func validate() throws {
        func p(_ v: Float, _ key: String) throws {
            guard (0...1).contains(v) else { throw DegradeError.badSetting(key: key, reason: "must be a probability 0...1 (got \(v))") }
        }
        try p(clean, "clean"); try p(blurProbability, "blur_probability"); try p(anisotropic, "anisotropic")
        try p(generalized, "generalized"); try p(sinc, "sinc"); try p(resizeProbability, "resize_probability")
        try p(noiseProbability, "noise_probability"); try p(poisson, "poisson_share"); try p(grayNoise, "gray_noise")
        try p(compressionProbability, "compression_probability"); try p(secondOrder, "second_order")
        guard blurSigma.lowerBound > 0, blurSigma.upperBound <= 10 else { throw DegradeError.badSetting(key: "blur", reason: "sigmas must be in (0, 10]") }
        guard kernelSize.lowerBound >= 3, kernelSize.upperBound <= 31 else { throw DegradeError.badSetting(key: "kernel_size", reason: "must be within 3...31") }
        guard resize.lowerBound >= 0.25, resize.upperBound <= 4 else { throw DegradeError.badSetting(key: "resize", reason: "must be within 0.25...4") }
        guard noiseSigma.lowerBound >= 0, noiseSigma.upperBound <= 50 else { throw DegradeError.badSetting(key: "noise", reason: "must be within 0...50") }
        guard poissonScale.lowerBound >= 0, poissonScale.upperBound <= 5 else { throw DegradeError.badSetting(key: "poisson", reason: "must be within 0...5") }
        guard h264CRF.lowerBound >= 0, h264CRF.upperBound <= 51 else { throw DegradeError.badSetting(key: "h264_crf", reason: "must be within 0...51") }
        guard mpeg2Q.lowerBound >= 1, mpeg2Q.upperBound <= 31 else { throw DegradeError.badSetting(key: "mpeg2_q", reason: "must be within 1...31") }
        guard jpegQ.lowerBound >= 2, jpegQ.upperBound <= 31 else { throw DegradeError.badSetting(key: "jpeg_q", reason: "must be within 2...31") }
        guard h264Share >= 0, mpeg2Share >= 0, jpegShare >= 0, h264Share + mpeg2Share + jpegShare > 0 else {
            throw DegradeError.badSetting(key: "h264_share", reason: "the shares of h264, mpeg2 and jpeg must be >= 0 and not all 0")
        }
        guard (1...8).contains(frames) else { throw DegradeError.badSetting(key: "frames", reason: "must be 1...8") }
    }
}
