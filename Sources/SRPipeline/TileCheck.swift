import Foundation
import SRMedia
import SRTensor
import SRTiling

/// Typed configuration of `upscale tile-check`.
public struct TileCheckConfig: Sendable {
    /// The image to test on.
    public var input: String
    /// Model name; nil = the default.
    public var model: String?
    /// Wanted scale.
    public var scale: Int?
    /// Tiling to compare against the whole-frame run (`tile` must be positive).
    public var tiling: TileOptions

    /// Creates a configuration.
    public init(input: String, model: String? = nil, scale: Int? = nil, tiling: TileOptions) {
        self.input = input; self.model = model; self.scale = scale; self.tiling = tiling
    }
}

/// How far a tiled run is from the whole-frame run.
public struct TileCheckResult: Sendable, Codable {
    public var model: String
    public var tile: Int
    public var overlap: Int
    public var pad: Int
    public var receptive_radius: Int
    public var tiles: Int
    public var max_error: Float
    public var mean_error: Float
    /// Error step across seam lines over the error step elsewhere near seams (see `SeamMeter`);
    /// 1 when the steps are negligible, much more than 1 for a visible seam.
    public var seam_ratio: Float
    /// Mean |error step| across seam lines.
    public var seam_step: Float
    /// Mean |error step| between other neighbouring pixels near seams.
    public var band_step: Float
}

/// Compares tiled and untiled inference on one image.
public enum TileCheck {
    /// Runs both and measures the difference.
    public static func run(_ config: TileCheckConfig, notes: (String) -> Void = { _ in }) throws -> TileCheckResult {
        guard FileManager.default.fileExists(atPath: config.input) else { throw PipelineError.inputMissing(config.input) }
        guard let tile = config.tiling.tile, tile > 0 else {
            throw PipelineError.invalidOption("tile-check needs --tile N with N > 0")
        }
        let frame = try ImageFile.read(path: config.input).pixels
        let upscaler = try ScaleStageResolver.resolve(model: config.model, scale: config.scale, notes: notes)
        let whole = try config.tiling.with(tile: 0).tiledRunner(for: upscaler, width: frame.w, height: frame.h).upscale(frame)
        let runner = try config.tiling.tiledRunner(for: upscaler, width: frame.w, height: frame.h, notes: notes)
        let tiled = try runner.upscale(frame)
        let plan = runner.plan(width: frame.w, height: frame.h)
        var maxErr: Float = 0, sum: Double = 0
        for i in 0..<whole.count {
            let e = abs(clamp(whole.data[i]) - clamp(tiled.data[i]))
            maxErr = max(maxErr, e)
            sum += Double(e)
        }
        let seams = SeamMeter(whole: whole, tiled: tiled, plan: plan, scale: upscaler.scale)
        return TileCheckResult(model: upscaler.name, tile: runner.tile, overlap: config.tiling.overlap, pad: runner.pad,
                               receptive_radius: upscaler.receptiveRadius, tiles: plan.tiles.count,
                               max_error: maxErr, mean_error: Float(sum / Double(max(whole.count, 1))),
                               seam_ratio: seams.ratio, seam_step: seams.seamStep, band_step: seams.bandStep)
    }

    static func clamp(_ v: Float) -> Float { min(max(v, 0), 1) }
}

/// Measures how visible tile seams are: the step of the error image `tiled - whole` across each
/// seam line (the centre of a blend zone, or the cut when tiles do not overlap), divided by the
/// mean step between neighbouring pixels elsewhere in the same band around the seam. A hard seam
/// is a jump (ratio much larger than 1); a well-blended one is as smooth as its surroundings (~1).
public struct SeamMeter: Sendable {
    /// Mean |error step| across seam lines.
    public var seamStep: Float = 0
    /// Mean |error step| between other neighbouring pixels in the seam bands.
    public var bandStep: Float = 0
    /// seamStep / bandStep; 1 when both are negligible.
    public var ratio: Float = 1

    /// Measures `tiled` against `whole` on the seams of `plan`.
    public init(whole: Tensor, tiled: Tensor, plan: TilePlan, scale: Int) {
        var seamSum = 0.0, seamN = 0, bandSum = 0.0, bandN = 0
        func err(_ c: Int, _ y: Int, _ x: Int) -> Float {
            TileCheck.clamp(tiled[c, y, x]) - TileCheck.clamp(whole[c, y, x])
        }
        for (cores, length, horizontal) in [(plan.columns, whole.w, true), (plan.rows, whole.h, false)] {
            for i in 1..<max(cores.count, 1) {
                let lo = cores[i].lowerBound * scale, hi = cores[i - 1].upperBound * scale
                let centre = hi > lo ? (lo + hi) / 2 : lo
                let half = max((hi - lo) / 2, 2 * scale)
                for p in max(1, centre - half)..<min(length, centre + half + 1) {
                    for c in 0..<whole.c {
                        for q in 0..<(horizontal ? whole.h : whole.w) {
                            let step = horizontal ? abs(err(c, q, p) - err(c, q, p - 1)) : abs(err(c, p, q) - err(c, p - 1, q))
                            if p == centre { seamSum += Double(step); seamN += 1 } else { bandSum += Double(step); bandN += 1 }
                        }
                    }
                }
            }
        }
        seamStep = seamN > 0 ? Float(seamSum / Double(seamN)) : 0
        bandStep = bandN > 0 ? Float(bandSum / Double(bandN)) : 0
        ratio = seamStep < 1e-6 ? 1 : (bandStep > 0 ? seamStep / bandStep : .infinity)
    }
}

extension TileOptions {
    /// A copy with another tile size.
    public func with(tile: Int) -> TileOptions {
        var copy = self
        copy.tile = tile
        return copy
    }
}
