import SRTiling
import XCTest

final class TilePlanTests: XCTestCase {
    /// Sizes, including odd ones, single rows and tiles larger than the frame.
    let cases: [(w: Int, h: Int, tile: Int, overlap: Int, pad: Int, align: Int)] = [
        (853, 479, 128, 16, 10, 1), (1, 1, 64, 8, 4, 1), (97, 1, 32, 4, 3, 1), (50, 40, 200, 8, 4, 1),
        (300, 200, 64, 12, 18, 4), (64, 64, 64, 0, 0, 1), (129, 65, 64, 60, 5, 2), (17, 300, 7, 3, 2, 1),
    ]

    func testCoresCoverFrameWithinTileSize() {
        for c in cases {
            let plan = TilePlan(width: c.w, height: c.h, tile: c.tile, overlap: c.overlap, pad: c.pad, alignment: c.align)
            for axis in [(plan.columns, c.w), (plan.rows, c.h)] {
                let (cores, length) = axis
                XCTAssertEqual(cores.first?.lowerBound, 0)
                XCTAssertEqual(cores.last?.upperBound, length)
                for (i, r) in cores.enumerated() {
                    XCTAssertLessThanOrEqual(r.count, max(c.tile, 1) >= length ? length : c.tile, "\(c)")
                    if i > 0 { XCTAssertLessThanOrEqual(r.lowerBound, cores[i - 1].upperBound, "cores leave a gap: \(c)") }
                }
            }
            XCTAssertEqual(plan.tiles.count, plan.columns.count * plan.rows.count)
        }
    }

    func testWindowsHoldCoreAndContextAndAreAligned() {
        for c in cases {
            let plan = TilePlan(width: c.w, height: c.h, tile: c.tile, overlap: c.overlap, pad: c.pad, alignment: c.align)
            for t in plan.tiles {
                XCTAssertEqual(t.window.x % c.align, 0)
                XCTAssertEqual(t.window.y % c.align, 0)
                XCTAssertLessThanOrEqual(t.window.x, max(0, t.core.x - c.pad))
                XCTAssertLessThanOrEqual(t.window.y, max(0, t.core.y - c.pad))
                XCTAssertEqual(t.window.x + t.window.width, min(c.w, t.core.x + t.core.width + c.pad))
                XCTAssertEqual(t.window.y + t.window.height, min(c.h, t.core.y + t.core.height + c.pad))
            }
        }
    }

    func testBlendWeightsSumToOneEverywhere() {
        for c in cases {
            for scale in [1, 2, 3] {
                let plan = TilePlan(width: c.w, height: c.h, tile: c.tile, overlap: c.overlap, pad: c.pad, alignment: c.align)
                for (cores, length) in [(plan.columns, c.w), (plan.rows, c.h)] {
                    for o in 0..<(length * scale) {
                        var sum: Float = 0
                        for (i, r) in cores.enumerated() where (r.lowerBound * scale..<r.upperBound * scale).contains(o) {
                            let w = TilePlan.axisWeight(o, core: i, of: cores, scale: scale)
                            XCTAssertGreaterThan(w, 0)
                            sum += w
                        }
                        XCTAssertEqual(sum, 1, accuracy: 1e-6, "\(c) scale \(scale) at \(o)")
                    }
                }
            }
        }
    }

    func testWholeFrameWhenTileIsZeroOrLarger() {
        XCTAssertEqual(TilePlan(width: 100, height: 50, tile: 0, overlap: 8, pad: 4).tiles.count, 1)
        XCTAssertEqual(TilePlan(width: 100, height: 50, tile: 100, overlap: 8, pad: 4).tiles.count, 1)
        XCTAssertEqual(TilePlan(width: 100, height: 50, tile: 64, overlap: 8, pad: 4).tiles.count, 2)
    }
}
