import Foundation
import SRKernels
import SRMedia
import SRModels
import SRTensor
import SRTiling

/// How a frame of the input size becomes a frame of the output size: one or more model passes
/// (x8 = x2 then x4: the passes are chained), then an exact lanczos resize when the target is not a
/// product of the model scales.
public struct ScalePlan: Sendable {
    /// The model passes, in order.
    public let stages: [ScaleStage]
    /// Input frame size.
    public let inputWidth: Int, inputHeight: Int
    /// Final frame size.
    public let outputWidth: Int, outputHeight: Int

    /// Size after the model passes (before the final resize).
    public var modelWidth: Int { inputWidth * stages.reduce(1) { $0 * $1.scale } }
    public var modelHeight: Int { inputHeight * stages.reduce(1) { $0 * $1.scale } }
    /// True when a lanczos resize follows the model passes.
    public var resizes: Bool { modelWidth != outputWidth || modelHeight != outputHeight }

    /// One line for the user: `realesr-animevideov3-x2 -> lanczos 1920x1080`.
    public var summary: String {
        var parts = stages.map(\.name)
        if resizes { parts.append("lanczos to \(outputWidth)x\(outputHeight)") }
        return parts.joined(separator: " -> ")
    }

    /// Plans for `--model`, `--scale`, `--width`, `--height` on an `inputWidth x inputHeight` frame.
    /// With only one of width/height the other keeps the aspect ratio (rounded to even).
    public static func make(model: String?, scale: Int?, width: Int?, height: Int?, inputWidth: Int, inputHeight: Int,
                            notes: (String) -> Void = { _ in }) throws -> ScalePlan {
        if let w = width, w < 1 { throw PipelineError.invalidOption("--width must be positive (got \(w))") }
        if let h = height, h < 1 { throw PipelineError.invalidOption("--height must be positive (got \(h))") }
        if scale != nil && (width != nil || height != nil) {
            throw PipelineError.invalidOption("give --scale or --width/--height, not both")
        }
        func even(_ v: Double) -> Int { max(2, Int((v / 2).rounded()) * 2) }
        let iw = Double(inputWidth), ih = Double(inputHeight)
        var target: (Int, Int)?
        switch (width, height) {
        case let (w?, h?): target = (w, h)
        case let (w?, nil): target = (w, even(Double(w) * ih / iw))
        case let (nil, h?): target = (even(Double(h) * iw / ih), h)
        default: target = nil
        }
        guard let (tw, th) = target else {
            // An integer factor: the model's own (or --scale, chained when no variant has it).
            let first = try ScaleStageResolver.resolve(model: model, scale: scale, chainable: true, notes: notes)
            let factor = scale ?? first.scale
            let stages = try chain(first: first, model: model, factor: Double(factor), notes: notes)
            return ScalePlan(stages: stages, inputWidth: inputWidth, inputHeight: inputHeight,
                             outputWidth: inputWidth * factor, outputHeight: inputHeight * factor)
        }
        let factor = max(Double(tw) / iw, Double(th) / ih)
        guard factor <= 16 else {
            throw PipelineError.invalidOption("\(tw)x\(th) is \(Int(factor.rounded()))x the \(inputWidth)x\(inputHeight) input; "
                                              + "at most 16x is supported")
        }
        let want = max(1, Int(factor.rounded(.up)))
        let first = try ScaleStageResolver.resolve(model: model, scale: want, chainable: true, notes: notes)
        var stages: [ScaleStage] = []
        if case .neural = first.kind, factor > 1 {  // classical filters resize straight to the target
            stages = try chain(first: first, model: model, factor: factor, notes: notes)
        }
        return ScalePlan(stages: stages, inputWidth: inputWidth, inputHeight: inputHeight, outputWidth: tw, outputHeight: th)
    }

    /// The passes whose product reaches `factor`: the smallest single variant that does, else the
    /// shortest chain with the smallest product (at most four passes); a cascading family
    /// (`ModelFamily.cascade`) takes the factors it lacks from its companion.
    static func chain(first: ScaleStage, model: String?, factor: Double, notes: (String) -> Void) throws -> [ScaleStage] {
        if Double(first.scale) >= factor - 1e-9 { return [first] }
        if case .neural = first.kind {} else {
            // Classical filters take any factor in one pass.
            return [ScaleStage(name: first.name, scale: Int(factor.rounded(.up)), kind: first.kind)]
        }
        let family = ScaleStageResolver.familyName(first.name), installed = ModelCatalog.installed()
        let variants = installed.filter { ScaleStageResolver.familyName($0.name) == family && $0.scale > 1 }
        let own = Set(variants.map(\.scale) + [first.scale])
        // A cascade (SR3): the companion family fills the factors this family lacks.
        let companion = ModelCatalog.families.first { $0.name == family }?.cascade
        let filled = companion.map { c in installed.filter { ScaleStageResolver.familyName($0.name) == c && !own.contains($0.scale) }.map(\.scale) } ?? []
        let scales = own.union(filled).filter { $0 > 1 }.sorted()
        guard !scales.isEmpty else {
            throw PipelineError.unsupportedScale(model: first.name, scale: Int(factor.rounded(.up)), available: [first.scale])
        }
        // The shortest chain with the smallest product that reaches the factor (x6 = x2 x3, not
        // x4 x2 and a reduction), smallest pass first: the cheap pass runs on the small frame.
        var best: [Int] = []
        func search(_ chain: [Int], _ product: Int) {
            if Double(product) >= factor - 1e-9 {
                let total = best.reduce(1, *)
                if best.isEmpty || product < total || (product == total && chain.count < best.count) { best = chain }
                return
            }
            guard chain.count < 4 else { return }
            for s in scales where s >= (chain.last ?? 0) { search(chain + [s], product * s) }
        }
        search([], 1)
        guard !best.isEmpty else {
            throw PipelineError.unsupportedScale(model: first.name, scale: Int(factor.rounded(.up)), available: scales)
        }
        let picked = best
        var cache: [Int: ScaleStage] = [first.scale: first]
        return try picked.map { s in
            if let u = cache[s] { return u }
            let u = try ScaleStageResolver.resolve(model: own.contains(s) ? family : companion ?? family, scale: s, notes: notes)
            cache[s] = u
            return u
        }
    }

    /// What a user should know before a video runs through these passes: a diffusion stage costs
    /// `steps` (nil: the model's default) U-Net passes per frame, and its texture can shimmer.
    public func videoNotes(steps: Int?) -> [String] {
        stages.filter(\.isDiffusion).map { stage in
            "note: \(stage.name) is a diffusion model: each frame takes \(steps.map { "\($0)" } ?? "its default") "
                + "U-Net passes at the output size (seconds per frame), and generated texture can shimmer from frame to frame "
                + "(the noise is fixed per pixel and --seed, which keeps static areas steady); upscale-real suits video"
        }
    }

    /// Runs the passes and the resize on one frame (`1 x 3 x H x W`), clamped to 0...1.
    /// `runners` come from `runners(tiling:)` (each with its own execution context).
    public func apply(_ rgb: Tensor, runners: [TiledRunner]) throws -> Tensor {
        var t = rgb
        for runner in runners { t = try runner.upscale(t) }
        return try finish(t)
    }

    /// The step after the model passes: the lanczos resize (when the target needs it) and the clamp.
    func finish(_ passes: Tensor) throws -> Tensor {
        var t = passes
        if resizes || stages.isEmpty {
            t = try Resampler.lanczos(t, width: outputWidth, height: outputHeight)
        }
        t.clamp()
        return t
    }

    /// Tiled runners for every pass, each with the execution context it wants.
    public func runners(tiling: TileOptions, notes: (String) -> Void) throws -> [TiledRunner] {
        var w = inputWidth, h = inputHeight
        var out: [TiledRunner] = []
        for stage in stages {
            out.append(try tiling.tiledRunner(for: stage, width: w, height: h, notes: notes))
            w *= stage.scale; h *= stage.scale
        }
        return out
    }
}
