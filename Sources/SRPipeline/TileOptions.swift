import Foundation
import SRKernels
import SRTiling

/// The user's tiling and threading choices, before they are resolved for a model and frame.
public struct TileOptions: Sendable, Equatable {
    /// Tile core size in input pixels; 0 = whole frame; nil = chosen from `maxMemory`.
    public var tile: Int?
    /// Overlap between neighbouring tiles in input pixels (blended with a linear ramp).
    public var overlap: Int = 8
    /// Context padding per side; nil = `autoPad` of the model (`--tile-pad auto`).
    public var pad: Int?

    /// Largest automatic context: deep networks have receptive fields of hundreds of pixels
    /// (realesrgan-x4plus: 349) whose outer part contributes less than 1e-3 (measured with
    /// `upscale tile-check`); padding them fully would multiply the work per tile.
    public static let autoPadCap = 64

    /// The context used with `--tile-pad auto`: the receptive radius, at most `autoPadCap`.
    public static func autoPad(for upscaler: Upscaler) -> Int { min(upscaler.receptiveRadius, autoPadCap) }
    /// Memory budget for one frame's inference, in bytes (picks the tile size when `tile` is nil).
    public var maxMemory: Int = 2 << 30
    /// Total threads (workers x BLAS threads); nil = every core.
    public var threads: Int?
    /// Tiles in flight at once; nil = one per thread (each with one BLAS thread).
    public var workers: Int?

    /// Creates options.
    public init(tile: Int? = nil, overlap: Int = 8, pad: Int? = nil, maxMemory: Int = 2 << 30,
                threads: Int? = nil, workers: Int? = nil) {
        self.tile = tile; self.overlap = overlap; self.pad = pad; self.maxMemory = maxMemory
        self.threads = threads; self.workers = workers
    }

    /// Checks ranges; throws a one-line error naming the flag.
    public func validate() throws {
        if let t = tile, t < 0 { throw PipelineError.invalidOption("--tile must be 0 (whole frame) or positive (got \(t))") }
        if overlap < 0 { throw PipelineError.invalidOption("--overlap must not be negative (got \(overlap))") }
        if let p = pad, p < 0 { throw PipelineError.invalidOption("--tile-pad must be 'auto' or a non-negative number (got \(p))") }
        if let t = threads, t < 1 { throw PipelineError.invalidOption("--threads must be at least 1 (got \(t))") }
        if let w = workers, w < 1 { throw PipelineError.invalidOption("--workers must be at least 1 (got \(w))") }
        if maxMemory < 64 << 20 { throw PipelineError.invalidOption("--max-memory must be at least 64M") }
    }

    /// Parses sizes such as `512M`, `2G`, `1.5G`, `800000000`.
    public static func parseSize(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("GB", 1_073_741_824), ("G", 1_073_741_824), ("MB", 1_048_576), ("M", 1_048_576), ("KB", 1024), ("K", 1024)]
        for (u, m) in units where t.hasSuffix(u) {
            guard let v = Double(t.dropLast(u.count)), v > 0 else { return nil }
            return Int(v * m)
        }
        return Int(t)
    }

    /// Builds the tiled runner for `upscaler` on frames of `width x height`, and sets BLAS threads.
    /// With `plane`, the runner enlarges one-channel planes (alpha) instead of RGB. `notes`
    /// receives one-line remarks (e.g. when a model's tiled output can only be approximate).
    public func tiledUpscaler(for upscaler: Upscaler, width: Int, height: Int, plane: Bool = false,
                              notes: (String) -> Void = { _ in }) throws -> TiledUpscaler {
        try validate()
        let total = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let bytesPerPixel = upscaler.workingBytesPerInputPixel
        let context = pad ?? TileOptions.autoPad(for: upscaler)
        var tileSize: Int
        if let tile {
            tileSize = tile
        } else if !upscaler.tilesExactly && bytesPerPixel * Double(width * height) <= Double(maxMemory) {
            tileSize = 0  // whole frame: the only exact way for globally pooling networks
        } else {
            tileSize = TileOptions.tileSize(budget: maxMemory, bytesPerInputPixel: bytesPerPixel, pad: context,
                                            workers: workers ?? total)
        }
        if tileSize >= max(width, height) { tileSize = 0 }
        if tileSize > 0 && !upscaler.tilesExactly && !plane {
            notes("note: \(upscaler.name) pools over the whole image, so tiles change its output slightly; "
                  + "--tile 0 (or a larger --max-memory) gives the exact result")
        }
        let tiles = tileSize == 0 ? 1 : TilePlan(width: width, height: height, tile: tileSize, overlap: overlap, pad: 0).tiles.count
        let w = min(workers ?? total, max(tiles, 1))
        BLAS.threads = max(1, total / w)
        let model = upscaler
        return TiledUpscaler(scale: upscaler.scale, tile: tileSize, overlap: overlap, pad: context,
                             alignment: upscaler.alignment, workers: w) { plane ? try model.upscalePlane($0) : try model.upscale($0) }
    }

    /// Largest tile (multiple of 16, at least 32) whose windows fit the budget with `workers` in flight.
    static func tileSize(budget: Int, bytesPerInputPixel: Double, pad: Int, workers: Int) -> Int {
        let perWorker = Double(budget) / Double(max(workers, 1))
        let side = Int((perWorker / max(bytesPerInputPixel, 1)).squareRoot()) - 2 * pad
        return max(32, side / 16 * 16)
    }
}
