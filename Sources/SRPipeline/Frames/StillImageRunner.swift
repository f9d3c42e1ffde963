import SRMedia
import SRTensor
import SRTiling

/// Upscales still images (RGB plus alpha, any bit depth) with one scale plan per input size,
/// keeping the plans' tiled runners (and their scratch pools) from image to image; with `reuse`
/// on, images of a sequence reuse what did not change since the previous ones (colour only).
///
/// Threading: one instance per worker thread; models are loaded once per instance.
public final class StillImageRunner {
    /// What to produce: model, factor or exact size.
    public let model: String?, scale: Int?, width: Int?, height: Int?
    /// Tiling and threads of each image.
    public let tiling: TileOptions
    private let notes: (String) -> Void
    private var plans: [Int: (plan: ScalePlan, runners: [TiledRunner], reuse: TemporalReuse)] = [:]
    private let reuse: ReuseOptions

    /// Creates an upscaler; nothing is loaded until the first image.
    public init(model: String?, scale: Int?, width: Int? = nil, height: Int? = nil, tiling: TileOptions,
                reuse: ReuseOptions = ReuseOptions(mode: .off), notes: @escaping (String) -> Void = { _ in }) {
        self.model = model; self.scale = scale; self.width = width; self.height = height
        self.tiling = tiling; self.reuse = reuse; self.notes = notes
    }

    /// Frames that reused an earlier output, over every size.
    public var reusedFrames: Int { plans.values.reduce(0) { $0 + $1.reuse.reusedFrames } }

    /// The plan for an input of `width x height` (made, and its model loaded, on first use).
    public func plan(width w: Int, height h: Int) throws -> ScalePlan { try entry(w, h).plan }

    private func entry(_ w: Int, _ h: Int) throws -> (plan: ScalePlan, runners: [TiledRunner], reuse: TemporalReuse) {
        if let e = plans[w << 32 | h] { return e }
        let plan = try ScalePlan.make(model: model, scale: scale, width: width, height: height,
                                      inputWidth: w, inputHeight: h, notes: notes)
        let e = (plan, try plan.runners(tiling: tiling, notes: notes), TemporalReuse(options: reuse))
        plans[w << 32 | h] = e
        return e
    }

    /// The enlarged image: same bit depth and gray/colour kind; alpha enlarged by the model when
    /// it is one plain pass, else resized with lanczos.
    public func upscale(_ image: RGBImage) throws -> RGBImage {
        let (plan, runners, reuse) = try entry(image.width, image.height)
        let rgb = try reuse.apply(plan, image.pixels, runners: runners).output
        var alpha: Tensor?
        if let a = image.alpha {
            var up: Tensor
            if plan.stages.count == 1 && !plan.resizes {
                up = try tiling.tiledRunner(for: plan.stages[0], width: a.w, height: a.h, plane: true).upscale(a)
            } else {
                up = try Resampler.lanczos(a, width: plan.outputWidth, height: plan.outputHeight)
            }
            up.clamp()
            alpha = up
        }
        return RGBImage(pixels: rgb, alpha: alpha, bitDepth: image.bitDepth, isGray: image.isGray)
    }
}
