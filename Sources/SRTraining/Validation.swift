import SRKernels
import SRModels
import SRPipeline
import SRTensor

/// PSNR-Y on validation pairs, the SR convention: outputs clamped and rounded to 8 bits, `scale`
/// pixels cropped from each border, Y of BT.601.
public enum Validation {
    /// Mean PSNR-Y of the network (run through the inference engine; a fusion network with its
    /// sources) over the pairs.
    static func psnrY(_ net: any TrainableNetwork, _ images: TrainingImages, sources: [LoadedModel] = [],
                      context: ExecutionContext = .serial) throws -> Double {
        let model = sources.isEmpty ? try LoadedModel(trained: net, name: "validation") : try LoadedModel(fusion: net, name: "validation", sources: sources)
        var sum = 0.0
        for p in images.pairs { sum += ImageMetrics.psnrY(try model.upscale(p.lr, context: context), p.hr, scale: images.scale) }
        return sum / Double(images.pairs.count)
    }

    /// Mean PSNR-Y of MATLAB-style bicubic upscaling over the pairs.
    static func bicubicPSNRY(_ images: TrainingImages) -> Double {
        var sum = 0.0
        for p in images.pairs { sum += ImageMetrics.psnrY(Kernels.imresize(p.lr, outH: p.hr.h, outW: p.hr.w), p.hr, scale: images.scale) }
        return sum / Double(images.pairs.count)
    }
}
