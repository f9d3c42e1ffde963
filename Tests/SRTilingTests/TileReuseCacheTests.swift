import SRKernels
import SRTensor
@testable import SRTiling
import XCTest

/// Tile-level temporal reuse: what is reused, what is recomputed, and that error cannot creep.
final class TileReuseCacheTests: XCTestCase {
    typealias helper = TiledRunnerTests

    /// A runner whose model has receptive radius 2 (two 3x3 convolutions), with context 4.
    func runner(counting calls: Locked<Int>? = nil) -> TiledRunner {
        let model = helper.makeModel(seed: 7)
        return TiledRunner(scale: 2, tile: 0, overlap: 0, pad: 4) { x, context in
            calls?.withLock { $0 += x.h * x.w }
            return try model(x, context)
        }
    }

    /// `frame` with a `size` square at (x, y) set to `value` in every channel.
    func painted(_ frame: Tensor, x: Int, y: Int, size: Int, value: Float) -> Tensor {
        var f = frame
        for c in 0..<f.c { for j in y..<(y + size) { for i in x..<(x + size) { f[0, c, j, i] = value } } }
        return f
    }

    func testIdenticalFrameIsReusedWhole() throws {
        let up = runner(), cache = TileReuseCache(block: 16, threshold: .levels(0))
        let frame = helper.randomFrame(w: 64, h: 48, seed: 1)
        let (first, reused0) = try cache.upscale(frame, with: up)
        XCTAssertFalse(reused0)
        let (second, reused1) = try cache.upscale(frame, with: up)
        XCTAssertTrue(reused1)
        XCTAssertEqual(first.data, second.data)
        XCTAssertEqual(cache.blocksSeen, 24)
        XCTAssertEqual(cache.blocksRecomputed, 12)  // the first frame's 12 blocks only
        XCTAssertGreaterThan(cache.bytes, 4 * first.count)
    }

    func testSmallChangeRecomputesOnlyNearbyBlocksAndMatchesAWholeFrame() throws {
        let pixels = Locked(0)
        let up = runner(counting: pixels), cache = TileReuseCache(block: 16, threshold: .levels(0))
        let frame = helper.randomFrame(w: 96, h: 64, seed: 2)
        _ = try cache.upscale(frame, with: up)
        let before = pixels.current
        // A 4x4 change inside block (column 2, row 1); with context 4 only that block's window and
        // its neighbours' windows reach it.
        let next = painted(frame, x: 38, y: 22, size: 4, value: 0.9)
        let (out, reused) = try cache.upscale(next, with: up)
        XCTAssertFalse(reused)
        XCTAssertEqual(cache.blocksRecomputed - 24, 1)
        XCTAssertLessThan(pixels.current - before, 96 * 64 / 4, "recomputed a small window, not the frame")
        // The model is local (radius 2 <= context 4): the pasted result equals a whole-frame run.
        let whole = try up.upscale(next)
        XCTAssertLessThanOrEqual(out.maxAbsDifference(whole), 1e-5)
    }

    func testNearDuplicatesWithinThresholdReuseAndBeyondRecompute() throws {
        let up = runner(), cache = TileReuseCache(block: 16, threshold: .levels(8))
        let frame = helper.randomFrame(w: 48, h: 32, seed: 3)
        let (first, _) = try cache.upscale(frame, with: up)
        // +4 levels on one pixel: within 8 levels, and its mean is tiny.
        var nudged = frame
        for c in 0..<3 { nudged[0, c, 5, 5] += 4 / 255 }
        let (second, reused) = try cache.upscale(nudged, with: up)
        XCTAssertTrue(reused)
        XCTAssertEqual(second.data, first.data)
        // A bright square is far beyond it.
        let (_, reusedSquare) = try cache.upscale(painted(frame, x: 20, y: 10, size: 6, value: 1), with: up)
        XCTAssertFalse(reusedSquare)
    }

    func testDriftIsMeasuredFromTheComputedInputSoErrorCannotAccumulate() throws {
        // Every frame moves the whole picture up by 1 level: each step is within the threshold of
        // the previous frame, but the comparison is with the input the output came from, so the
        // output is recomputed before the drift passes 2.4 levels on average (threshold 24: N/10).
        let up = runner(), cache = TileReuseCache(block: 16, threshold: .levels(24))
        let base = helper.randomFrame(w: 32, h: 32, seed: 4)
        var recomputedAt: [Int] = []
        for step in 0..<8 {
            var f = base
            for i in f.data.indices { f.data[i] = min(1, f.data[i] * 0.9 + Float(step) / 255) }
            let seen = cache.blocksRecomputed
            _ = try cache.upscale(f, with: up)
            if cache.blocksRecomputed > seen { recomputedAt.append(step) }
        }
        XCTAssertEqual(recomputedAt, [0, 3, 6])
    }

    func testNewSizeOrResetStartsOver() throws {
        let up = runner(), cache = TileReuseCache(block: 16, threshold: .levels(0))
        let a = helper.randomFrame(w: 32, h: 32, seed: 5)
        _ = try cache.upscale(a, with: up)
        cache.reset()
        XCTAssertFalse(try cache.upscale(a, with: up).reused)
        XCTAssertFalse(try cache.upscale(helper.randomFrame(w: 40, h: 32, seed: 5), with: up).reused)
    }

    func testRectanglesCoverExactlyTheDirtyBlocks() {
        // 5 x 3 grid:  X X . . X
        //              X X . . X
        //              . . . X .
        let dirty: [Bool] = [1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0].map { $0 == 1 }
        let rects = TileReuseCache.rectangles(dirty, columns: 5, rows: 3, maxSide: 0)
        XCTAssertEqual(rects, [.init(column: 0, row: 0, columns: 2, rows: 2), .init(column: 4, row: 0, columns: 1, rows: 2),
                               .init(column: 3, row: 2, columns: 1, rows: 1)])
        let capped = TileReuseCache.rectangles([Bool](repeating: true, count: 9), columns: 3, rows: 3, maxSide: 2)
        XCTAssertEqual(capped.reduce(0) { $0 + $1.columns * $1.rows }, 9)
        XCTAssertTrue(capped.allSatisfy { $0.columns <= 2 && $0.rows <= 2 })
    }
}
