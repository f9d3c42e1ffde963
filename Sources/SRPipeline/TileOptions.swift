import Foundation
import SRKernels
import SRTensor
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
    public static func autoPad(for upscaler: ScaleStage) -> Int { min(upscaler.receptiveRadius, autoPadCap) }
    /// Memory budget for one frame's inference, in bytes (picks the tile size when `tile` is nil).
    public var maxMemory: Int = 2 << 30
    /// Total threads (workers x BLAS threads); nil = every core.
    public var threads: Int?
    /// Tiles in flight at once; nil = one per thread (each with one BLAS thread).
    public var workers: Int?
    /// Run 3x3 convolutions as Winograd (`--winograd off`: im2col + GEMM, for comparisons).
    public var winograd: Bool = true
    /// C-kernel variant (`--kernels`; default the widest this CPU runs).
    public var kernels: KernelISA = .best
    /// Diffusion models: sampling steps (`--steps`; nil = the model's default) and noise seed
    /// (`--seed`); other models ignore both.
    public var steps: Int?, seed: UInt64 = 0

    /// Creates options.
    public init(tile: Int? = nil, overlap: Int = 8, pad: Int? = nil, maxMemory: Int = 2 << 30,
                threads: Int? = nil, workers: Int? = nil, winograd: Bool = true, kernels: KernelISA = .best) {
        self.tile = tile; self.overlap = overlap; self.pad = pad; self.maxMemory = maxMemory
        self.threads = threads; self.workers = workers; self.winograd = winograd; self.kernels = kernels
    }

    /// Checks ranges; throws a one-line error naming the flag.
    public func validate() throws {
        if let t = tile, t < 0 { throw PipelineError.invalidOption("--tile must be 0 (whole frame) or positive (got \(t))") }
        if overlap < 0 { throw PipelineError.invalidOption("--overlap must not be negative (got \(overlap))") }
        if let p = pad, p < 0 { throw PipelineError.invalidOption("--tile-pad must be 'auto' or a non-negative number (got \(p))") }
        if let t = threads, t < 1 { throw PipelineError.invalidOption("--threads must be at least 1 (got \(t))") }
        if let w = workers, w < 1 { throw PipelineError.invalidOption("--workers must be at least 1 (got \(w))") }
        if maxMemory < 64 << 20 { throw PipelineError.invalidOption("--max-memory must be at least 64M") }
        if let s = steps, !(1...1000).contains(s) { throw PipelineError.invalidOption("--steps must be between 1 and 1000 (got \(s))") }
        if !kernels.isSupported {
            throw PipelineError.invalidOption("--kernels \(kernels) needs CPU features this machine lacks (it runs: "
                                              + KernelISA.supported.map(\.description).joined(separator: ", ") + ")")
        }
    }

    /// The C-kernel variant for `--kernels` (`auto`: the widest this CPU runs); throws naming the choices.
    public static func kernelVariant(named name: String) throws -> KernelISA {
        if name == "auto" { return .best }
        guard let isa = KernelISA(name: name) else {
            throw PipelineError.invalidOption("--kernels must be auto or one of " + KernelISA.allCases.map(\.description).joined(separator: ", ")
                                              + " (got '\(name)')")
        }
        return isa
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

    /// Builds the tiled runner for `upscaler` on frames of `width x height`, with its own
    /// execution context (threads per tile, GEMM split, Winograd policy, kernels): nothing
    /// process-wide changes, so runners of concurrent jobs do not disturb each other.
    /// With `plane`, the runner enlarges one-channel planes (alpha) instead of RGB. `notes`
    /// receives one-line remarks (e.g. when a model's tiled output can only be approximate).
    public func tiledRunner(for original: ScaleStage, width: Int, height: Int, plane: Bool = false,
                              notes: (String) -> Void = { _ in }) throws -> TiledRunner {
        try validate()
        let upscaler = try original.prepared(winograd: winograd).sampling(steps: steps, seed: seed)
        let total = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let context = pad ?? TileOptions.autoPad(for: upscaler)
        var tileSize: Int
        var inFlight = workers ?? total
        if let tile {
            tileSize = tile
        } else if !upscaler.tilesExactly && upscaler.workingBytes(width: width, height: height) <= Double(maxMemory) {
            tileSize = 0  // whole frame: the only exact way for globally pooling networks
        } else {
            (tileSize, inFlight) = TileOptions.autoTile(for: upscaler, width: width, height: height, pad: context,
                                                        overlap: overlap, budget: maxMemory, workers: inFlight)
        }
        if tileSize >= max(width, height) { tileSize = 0 }
        if tileSize > 0 && !upscaler.tilesExactly && !plane {
            notes("note: \(upscaler.name) is not tile-exact (it pools over the whole image or samples in steps), so tiles change its output slightly; "
                  + "--tile 0 (or a larger --max-memory) gives the exact result")
        }
        let tiles = tileSize == 0 ? 1 : TilePlan(width: width, height: height, tile: tileSize, overlap: overlap, pad: 0).tiles.count
        let w = min(inFlight, max(tiles, 1))
        let model = upscaler
        return TiledRunner(scale: upscaler.scale, tile: tileSize, overlap: overlap, pad: context, alignment: upscaler.alignment,
                             workers: w, context: executionContext(perTile: max(1, total / w), for: upscaler)) {
            plane ? try model.upscalePlane($0, context: $1) : try model.upscale($0, context: $1)
        }
    }

    /// The context of one tile with `n` threads: Winograd workers, and GEMM splits unless the
    /// work is mostly Winograd (whose GEMMs run per tile block, single-threaded).
    func executionContext(perTile n: Int, for upscaler: ScaleStage) -> ExecutionContext {
        if n > 1 { TileOptions.warmDispatchPool() }
        return ExecutionContext(threads: n, blasThreads: upscaler.parallelizesInside ? 1 : n, winograd: winograd, isa: kernels)
    }

    /// Dispatch creates its worker threads on demand, so the first frames' parallel loops can find
    /// too few of them and run partly serial (measured: frame 2 about 30% slower than frame 4).
    /// Keeping every worker busy for a moment once makes the pool big enough from the start.
    static func warmDispatchPool() {
        warmed.once {
            let n = ProcessInfo.processInfo.activeProcessorCount
            DispatchQueue.concurrentPerform(iterations: 4 * n) { _ in usleep(2000) }
        }
    }
    private static let warmed = Once()

    /// The automatic tile size and tiles in flight.
    ///
    /// Models whose work is mostly Winograd convolutions (every shipped one) spread each
    /// convolution over all threads, which measured faster than parallel strips (bench/tiling.sh):
    /// a frame that fits the budget runs whole, one at a time; one that does not gets the largest
    /// tile (multiple of 16) whose padded window fits the whole budget. Other models run about
    /// one strip per worker along the long side (one BLAS thread each), unless strips would be
    /// smaller than twice their context; when the frame does not fit, the largest tile whose
    /// padded window fits the budget per worker, with fewer tiles at once if that tile would be
    /// smaller than twice the context (over 4x the work).
    static func autoTile(for upscaler: ScaleStage, width: Int, height: Int, pad: Int, overlap: Int,
                         budget: Int, workers: Int) -> (tile: Int, workers: Int) {
        let longSide = max(width, height)
        let minTile = max(64, 2 * pad)
        let inside = upscaler.parallelizesInside
        if upscaler.workingBytes(width: width, height: height) * 1.1 <= Double(budget) {
            guard workers > 1, !inside else { return (0, 1) }
            // Strips across the long side only: the tile is at least the short side.
            let strip = max((longSide + (workers - 1) * overlap + workers - 1) / workers, min(width, height))
            return strip >= minTile && strip < longSide ? (strip, workers) : (0, 1)
        }
        var inFlight = inside ? 1 : max(workers, 1)
        while true {
            let perWorker = Double(budget) / Double(inFlight)
            var tile = 32
            for t in stride(from: min(longSide, 2048) / 16 * 16, through: 32, by: -16)
            where upscaler.workingBytes(width: t + 2 * pad, height: t + 2 * pad) <= perWorker {
                tile = t
                break
            }
            if tile >= minTile || inFlight == 1 { return (tile, inFlight) }
            inFlight -= 1
        }
    }
}

/// Runs a block once per process.
final class Once: Sendable {
    private let done = Locked(false)
    func once(_ body: () -> Void) {
        done.withLock { d in
            if !d { d = true; body() }
        }
    }
}
