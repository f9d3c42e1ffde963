import Foundation
import SRTensor
import SRTiling

/// `--reuse`: whether frames and tiles whose input did not change reuse their earlier output.
public enum ReuseMode: String, Sendable, CaseIterable, Codable {
    /// Every frame is computed.
    case off
    /// A frame bit-identical to the last computed one reuses its output (the result equals `off`).
    case exact
    /// Frames and tiles within the threshold of the input their output came from reuse it.
    case auto
}

/// The reuse choices of a job: mode and threshold.
public struct ReuseOptions: Sendable, Equatable {
    /// The mode (`--reuse`).
    public var mode: ReuseMode
    /// The bound of `auto` (`--reuse-threshold N`: N levels on any pixel, N/10 on average).
    public var threshold: ReuseThreshold

    /// The default `auto` threshold, in 8-bit levels (see README "Temporal reuse").
    public static let defaultLevels: Float = 24

    /// Creates options; `levels` nil is the default threshold.
    public init(mode: ReuseMode = .auto, levels: Float? = nil) {
        self.mode = mode
        threshold = .levels(levels ?? ReuseOptions.defaultLevels)
    }

    /// Checks ranges; throws naming the flag.
    public func validate() throws {
        guard threshold.maxDifference >= 0, threshold.maxDifference <= 255 else {
            throw PipelineError.invalidOption("--reuse-threshold must be between 0 and 255 levels (got \(threshold.maxDifference))")
        }
    }
}

/// Temporal reuse state of one frame sequence (one video job, one segment of it, or one frames
/// worker): the last computed input and output, and a tile cache per model pass.
///
/// Threading: used by one thread at a time (the engine stage), frames in presentation order.
public final class TemporalReuse {
    /// The choices.
    public let options: ReuseOptions
    private var caches: [TileReuseCache] = []
    private var lastInput: Tensor?, lastOutput: Tensor?
    /// Frames seen and frames that reused the last output whole.
    public private(set) var frames = 0, reusedFrames = 0
    /// The counts as of the last finished frame, for other threads (progress reports).
    public let snapshot = Locked((reusedFrames: 0, recomputedPercent: Double?.none))

    /// Creates empty state.
    public init(options: ReuseOptions) { self.options = options }

    /// Forgets the cached frames (a new segment starts), keeping the counts.
    public func reset() {
        lastInput = nil; lastOutput = nil
        caches.forEach { $0.reset() }
    }

    /// Blocks seen and recomputed by the tile caches, summed over the passes.
    public var blocks: (seen: Int, recomputed: Int) {
        caches.reduce((0, 0)) { ($0.0 + $1.blocksSeen, $0.1 + $1.blocksRecomputed) }
    }

    /// Tiles recomputed, percent of those seen (`auto` only; nil before any).
    public var recomputedPercent: Double? {
        let b = blocks
        return options.mode == .auto && b.seen > 0 ? 100 * Double(b.recomputed) / Double(b.seen) : nil
    }

    /// Bytes held by the caches.
    public var bytes: Int {
        caches.reduce(4 * ((lastInput?.count ?? 0) + (lastOutput?.count ?? 0))) { $0 + $1.bytes }
    }

    /// The `--progress json` fields: `"reused_frames":24,"tiles_recomputed_percent":31.5`.
    public static func jsonFields(_ s: (reusedFrames: Int, recomputedPercent: Double?)) -> [String] {
        ["\"reused_frames\":\(s.reusedFrames)",
         "\"tiles_recomputed_percent\":" + (s.recomputedPercent.map { String(format: "%.1f", $0) } ?? "null")]
    }

    /// The summary's words: `reused 24/48 frames, recomputed 31.5% of tiles`.
    public var summary: String {
        var s = "reused \(reusedFrames)/\(frames) frames"
        if let p = recomputedPercent { s += ", recomputed " + String(format: "%.1f", p) + "% of tiles" }
        return s
    }

    /// `summary` for the run's last line; empty when the mode is off or no frame was computed.
    public var report: String { options.mode == .off || frames == 0 ? "" : summary }

    /// Runs `plan` on `rgb`, reusing what the mode allows; `reused` is true when the output is the
    /// previous frame's, unchanged.
    func apply(_ plan: ScalePlan, _ rgb: Tensor, runners: [TiledRunner]) throws -> (output: Tensor, reused: Bool) {
        frames += 1
        defer { snapshot.withLock { [reusedFrames, recomputedPercent] in $0 = (reusedFrames, recomputedPercent) } }
        switch options.mode {
        case .off:
            return (try plan.apply(rgb, runners: runners), false)
        case .exact:
            if let input = lastInput, let output = lastOutput, TemporalReuse.identical(input, rgb) {
                reusedFrames += 1
                return (output, true)
            }
            let out = try plan.apply(rgb, runners: runners)
            lastInput = rgb; lastOutput = out
            return (out, false)
        case .auto:
            if caches.count != runners.count {
                caches = runners.map { _ in TileReuseCache(threshold: options.threshold) }
            }
            var t = rgb
            for (k, runner) in runners.enumerated() {
                let (out, reused) = try caches[k].upscale(t, with: runner)
                if k == 0, reused, let output = lastOutput {
                    reusedFrames += 1
                    return (output, true)
                }
                t = out
            }
            let out = try plan.finish(t)
            lastOutput = out
            return (out, false)
        }
    }

    /// True when both tensors have the same shape and the same bits.
    static func identical(_ a: Tensor, _ b: Tensor) -> Bool {
        guard a.n == b.n, a.c == b.c, a.h == b.h, a.w == b.w else { return false }
        return a.data.withUnsafeBytes { x in
            b.data.withUnsafeBytes { y in
                guard let p = x.baseAddress, let q = y.baseAddress else { return x.count == y.count }
                return memcmp(p, q, x.count) == 0
            }
        }
    }
}
