import SRKernels
import SRModels
import SRTensor

/// PSNR-Y on validation pairs, the SR convention: outputs clamped and rounded to 8 bits, `scale`
/// pixels cropped from each border, Y of BT.601.
public enum Validation {
    /// Mean PSNR-Y of the network (run through the inference engine; a fusion network with its
    /// sources) over the pairs.
    static func psnrY(_ net: any TrainableNetwork, _ images: TrainingImages, sources: [SRModel] = []) throws -> Double {
        let model = sources.isEmpty ? try SRModel(trained: net, name: "validation") : try SRModel(fusion: net, name: "validation", sources: sources)
        var sum = 0.0
        for p in images.pairs { sum += score(try model.upscale(p.lr), p.hr, scale: images.scale) }
        return sum / Double(images.pairs.count)
    }

    /// Mean PSNR-Y of MATLAB-style bicubic upscaling over the pairs.
    static func bicubicPSNRY(_ images: TrainingImages) -> Double {
        var sum = 0.0
        for p in images.pairs { sum += score(Kernels.imresize(p.lr, outH: p.hr.h, outW: p.hr.w), p.hr, scale: images.scale) }
        return sum / Double(images.pairs.count)
    }

    /// PSNR-Y of `sr` (quantized to 8 bits) against `hr`, `scale` pixels cropped.
    public static func score(_ sr: Tensor, _ hr: Tensor, scale: Int) -> Double {
        ImageMetrics.psnr(ImageMetrics.planes(quantized(sr), luma: true, crop: scale), ImageMetrics.planes(hr, luma: true, crop: scale))
    }

    /// Clamped to 0...1 and rounded to 8-bit levels, as a saved PNG would be.
    public static func quantized(_ t: Tensor) -> Tensor { t.map { (min(max($0, 0), 1) * 255).rounded() / 255 } }
}
