import SRKernels
import SRTensor

/// How far a block's input may drift from the input its cached output came from.
///
/// Both bounds are on the luma (BT.601 weights) of the block's window (the block plus the
/// runner's context padding), in 8-bit levels: robust to the codec's flicker, which moves a few
/// pixels by a few levels, while a moving edge moves many pixels by many.
public struct ReuseThreshold: Sendable, Equatable, CustomStringConvertible {
    /// Largest absolute difference of any one pixel.
    public var maxDifference: Float
    /// Largest mean absolute difference over the window.
    public var meanDifference: Float

    /// Creates a threshold from both bounds.
    public init(maxDifference: Float, meanDifference: Float) {
        self.maxDifference = maxDifference; self.meanDifference = meanDifference
    }

    /// `--reuse-threshold N`: at most N levels on any pixel and N/10 on average.
    public static func levels(_ n: Float) -> ReuseThreshold { ReuseThreshold(maxDifference: n, meanDifference: n / 10) }

    public var description: String { "max \(maxDifference), mean \(meanDifference) levels" }
}

/// Tile-level temporal reuse for one model pass: the last output frame, and per block of the
/// input grid the luma window that produced that block's part of it.
///
/// A new frame's block whose window is within the threshold of its stored window keeps its
/// cached output; the others are grouped into rectangles and recomputed (each with the runner's
/// context around it) and pasted into the cached output. Comparing with the stored window, not
/// the previous frame, means error cannot accumulate over a run of near-duplicates. When most of
/// the frame changed, the whole frame is computed exactly as without reuse.
///
/// Threading: one instance per pass of one frame sequence; `upscale` is called from one thread
/// at a time with the frames in order. Memory: one output frame plus about
/// `(1 + 2 pad / block)^2` input luma planes (`bytes`).
public final class TileReuseCache {
    /// Block edge in input pixels (the reuse granularity).
    public let block: Int
    /// When to recompute.
    public let threshold: ReuseThreshold
    /// Above this share of the frame's area to recompute (windows included), compute it whole.
    public let wholeFrameShare: Double
    private var width = 0, height = 0, columns = 0, rows = 0, pad = 0
    private var output: Tensor?
    private var stored: [[Float]] = []
    /// Blocks seen and blocks recomputed, over every frame so far.
    public private(set) var blocksSeen = 0, blocksRecomputed = 0

    /// Creates an empty cache.
    public init(block: Int = 32, threshold: ReuseThreshold, wholeFrameShare: Double = 0.5) {
        self.block = max(8, block); self.threshold = threshold; self.wholeFrameShare = wholeFrameShare
    }

    /// Bytes held: the cached output and the stored windows.
    public var bytes: Int { 4 * ((output?.count ?? 0) + stored.reduce(0) { $0 + $1.count }) }

    /// Forgets everything (the next frame is computed whole).
    public func reset() { output = nil; stored = [] }

    /// Upscales `frame` (`1 x C x H x W`) with `runner`, reusing the cached output where the
    /// input did not change; `reused` is true when no block was recomputed.
    public func upscale(_ frame: Tensor, with runner: TiledRunner) throws -> (output: Tensor, reused: Bool) {
        let luma = TileReuseCache.luma(frame)
        let n = rows * columns
        guard let cached = output, frame.w == width, frame.h == height, runner.pad == pad else {
            return (try computeWhole(frame, luma: luma, runner: runner), false)
        }
        let dirty = (0..<n).map { !within(stored[$0], block: $0, of: luma) }
        let count = dirty.filter { $0 }.count
        blocksSeen += n
        if count == 0 { return (cached, true) }
        let rects = TileReuseCache.rectangles(dirty, columns: columns, rows: rows, maxSide: runner.tile > 0 ? max(1, runner.tile / block) : 0)
        let cores = rects.map(core)
        let windows = cores.map(expanded)
        let area = windows.reduce(0) { $0 + $1.width * $1.height }
        if Double(area) >= wholeFrameShare * Double(width * height) {
            blocksSeen -= n
            return (try computeWhole(frame, luma: luma, runner: runner), false)
        }
        let outs = try runner.upscaleWindows(frame, windows: windows)
        var result = cached
        let s = runner.scale
        for (k, out) in outs.enumerated() {
            let c = cores[k], w = windows[k]
            TileReuseCache.paste(out, into: &result, from: ((c.x - w.x) * s, (c.y - w.y) * s),
                                 to: (c.x * s, c.y * s), size: (c.width * s, c.height * s))
        }
        for r in rects {
            for row in r.row..<(r.row + r.rows) {
                for col in r.column..<(r.column + r.columns) { stored[row * columns + col] = window(luma, row * columns + col) }
            }
        }
        blocksRecomputed += count
        output = result
        return (result, false)
    }

    /// Computes the frame as without reuse and stores every block's window.
    private func computeWhole(_ frame: Tensor, luma: [Float], runner: TiledRunner) throws -> Tensor {
        width = frame.w; height = frame.h; pad = runner.pad
        columns = (width + block - 1) / block; rows = (height + block - 1) / block
        let out = try runner.upscale(frame)
        stored = (0..<(rows * columns)).map { window(luma, $0) }
        output = out
        blocksSeen += rows * columns; blocksRecomputed += rows * columns
        return out
    }

    /// True when block `b`'s window of `luma` is within the threshold of `before`, its stored
    /// window (compared in place: no copy per block and frame).
    private func within(_ before: [Float], block b: Int, of luma: [Float]) -> Bool {
        let w = windowRect(b)
        var peak: Float = 0, sum: Float = 0, k = 0
        for y in 0..<w.height {
            let row = (w.y + y) * width + w.x
            for x in 0..<w.width {
                let d = abs(luma[row + x] - before[k])
                peak = max(peak, d); sum += d; k += 1
            }
        }
        return peak <= threshold.maxDifference && sum <= threshold.meanDifference * Float(max(1, k))
    }

    /// Block `b` plus `pad` on each side, inside the frame.
    private func windowRect(_ b: Int) -> TilePlan.Rect {
        expanded(core(TileReuseCache.BlockRect(column: b % columns, row: b / columns, columns: 1, rows: 1)))
    }

    /// The luma of block `b`'s window (the block plus `pad` on each side, inside the frame).
    private func window(_ luma: [Float], _ b: Int) -> [Float] {
        let w = windowRect(b)
        var out = [Float](repeating: 0, count: w.width * w.height)
        for y in 0..<w.height {
            for x in 0..<w.width { out[y * w.width + x] = luma[(w.y + y) * width + w.x + x] }
        }
        return out
    }

    /// A rectangle of blocks in input pixels (clipped to the frame).
    private func core(_ r: BlockRect) -> TilePlan.Rect {
        let x = r.column * block, y = r.row * block
        return TilePlan.Rect(x: x, y: y, width: min(width, x + r.columns * block) - x, height: min(height, y + r.rows * block) - y)
    }

    /// `r` with `pad` pixels of context on each side, inside the frame.
    private func expanded(_ r: TilePlan.Rect) -> TilePlan.Rect {
        let x0 = max(0, r.x - pad), y0 = max(0, r.y - pad)
        let x1 = min(width, r.x + r.width + pad), y1 = min(height, r.y + r.height + pad)
        return TilePlan.Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// BT.601 luma of the first three channels in 8-bit levels (one channel: that channel).
    public static func luma(_ t: Tensor) -> [Float] {
        let plane = t.h * t.w
        guard t.c >= 3 else { return (0..<plane).map { t.data[$0] * 255 } }
        return (0..<plane).map { 255 * (0.299 * t.data[$0] + 0.587 * t.data[plane + $0] + 0.114 * t.data[2 * plane + $0]) }
    }

    /// Copies the `size` region of `source` at `from` into `target` at `to` (every channel).
    static func paste(_ source: Tensor, into target: inout Tensor, from: (x: Int, y: Int), to: (x: Int, y: Int),
                      size: (width: Int, height: Int)) {
        let sw = source.w, sp = source.h * source.w, tw = target.w, tp = target.h * target.w
        source.data.withUnsafeBufferPointer { src in
            target.data.withUnsafeMutableBufferPointer { dst in
                for ch in 0..<target.c {
                    for y in 0..<size.height {
                        let si = ch * sp + (from.y + y) * sw + from.x, di = ch * tp + (to.y + y) * tw + to.x
                        for x in 0..<size.width { dst[di + x] = src[si + x] }
                    }
                }
            }
        }
    }
}

extension TileReuseCache {
    /// A rectangle of whole blocks.
    struct BlockRect: Equatable {
        var column: Int, row: Int, columns: Int, rows: Int
    }

    /// Covers the dirty blocks with few rectangles: from each uncovered dirty block, as far right
    /// as the blocks stay dirty, then as far down as that whole span stays dirty (each side at
    /// most `maxSide` blocks when it is positive).
    static func rectangles(_ dirty: [Bool], columns: Int, rows: Int, maxSide: Int) -> [BlockRect] {
        var covered = [Bool](repeating: false, count: dirty.count)
        func open(_ c: Int, _ r: Int) -> Bool { dirty[r * columns + c] && !covered[r * columns + c] }
        let limit = maxSide > 0 ? maxSide : Int.max
        var out: [BlockRect] = []
        for r in 0..<rows {
            for c in 0..<columns where open(c, r) {
                var w = 1
                while c + w < columns, w < limit, open(c + w, r) { w += 1 }
                var h = 1
                while r + h < rows, h < limit, (c..<(c + w)).allSatisfy({ open($0, r + h) }) { h += 1 }
                for y in r..<(r + h) { for x in c..<(c + w) { covered[y * columns + x] = true } }
                out.append(BlockRect(column: c, row: r, columns: w, rows: h))
            }
        }
        return out
    }
}
