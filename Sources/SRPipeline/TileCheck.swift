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
    /// Mean error on seam pixels (blend zones) over mean error elsewhere; 1 when both are zero.
    public var seam_ratio: Float
    public var seam_mean_error: Float
    public var interior_mean_error: Float
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
        let upscaler = try UpscalerResolver.resolve(model: config.model, scale: config.scale, notes: notes)
        let whole = try config.tiling.with(tile: 0).tiledUpscaler(for: upscaler, width: frame.w, height: frame.h).upscale(frame)
        let runner = try config.tiling.tiledUpscaler(for: upscaler, width: frame.w, height: frame.h)
        let tiled = try runner.upscale(frame)
        let plan = runner.plan(width: frame.w, height: frame.h)
        let s = upscaler.scale
        let seamX = seamMask(plan.columns, length: whole.w, scale: s)
        let seamY = seamMask(plan.rows, length: whole.h, scale: s)
        var maxErr: Float = 0, sum: Double = 0, seamSum: Double = 0, seamN = 0, inSum: Double = 0, inN = 0
        for c in 0..<whole.c {
            for y in 0..<whole.h {
                for x in 0..<whole.w {
                    let e = abs(min(max(whole[c, y, x], 0), 1) - min(max(tiled[c, y, x], 0), 1))
                    maxErr = max(maxErr, e)
                    sum += Double(e)
                    if seamX[x] || seamY[y] { seamSum += Double(e); seamN += 1 } else { inSum += Double(e); inN += 1 }
                }
            }
        }
        let seamMean = seamN > 0 ? seamSum / Double(seamN) : 0, inMean = inN > 0 ? inSum / Double(inN) : 0
        let ratio: Double = seamMean == 0 ? 1 : (inMean == 0 ? .infinity : seamMean / inMean)
        return TileCheckResult(model: upscaler.name, tile: runner.tile, overlap: config.tiling.overlap, pad: runner.pad,
                               receptive_radius: upscaler.receptiveRadius, tiles: plan.tiles.count,
                               max_error: maxErr, mean_error: Float(sum / Double(whole.count)),
                               seam_ratio: Float(ratio), seam_mean_error: Float(seamMean), interior_mean_error: Float(inMean))
    }

    /// Output positions inside a blend zone (or within `scale` of a cut when tiles do not overlap).
    static func seamMask(_ cores: [Range<Int>], length: Int, scale: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: length)
        for i in 1..<max(cores.count, 1) {
            let lo = cores[i].lowerBound * scale, hi = cores[i - 1].upperBound * scale
            let band = hi > lo ? lo..<hi : max(0, lo - scale)..<min(length, lo + scale)
            for o in band { mask[o] = true }
        }
        return mask
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
