import SRKernels
import SRTensor
import XCTest

final class LayoutTests: XCTestCase {
    func testReplicatePadRepeatsEdges() {
        let x = Tensor(c: 1, h: 2, w: 2, data: [1, 2, 3, 4])
        let p = Kernels.replicatePad(x, top: 1, left: 2, bottom: 0, right: 1)
        XCTAssertEqual(p.shape, [1, 1, 3, 5])
        XCTAssertEqual(p.data, [1, 1, 1, 2, 2,
                                1, 1, 1, 2, 2,
                                3, 3, 3, 4, 4])
        XCTAssertEqual(Kernels.replicatePad(x, top: 0, left: 0, bottom: 0, right: 0), x)
    }

    /// Every plane of a batch, against the index formula (clamp into the source).
    func testReplicatePadBatchAgainstClampedIndex() {
        var rng = SplitMix64(seed: 31)
        let x = rng.tensor(n: 2, c: 3, h: 3, w: 5)
        let (top, left, bottom, right) = (2, 0, 3, 4)
        let p = Kernels.replicatePad(x, top: top, left: left, bottom: bottom, right: right)
        XCTAssertEqual(p.shape, [2, 3, 8, 9])
        for b in 0..<2 { for c in 0..<3 { for y in 0..<8 { for xx in 0..<9 {
            let sy = min(max(y - top, 0), 2), sx = min(max(xx - left, 0), 4)
            XCTAssertEqual(p[b, c, y, xx], x[b, c, sy, sx])
        } } } }
    }
}
