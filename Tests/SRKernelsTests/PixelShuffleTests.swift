import SRKernels
import SRTensor
import XCTest

final class PixelShuffleTests: XCTestCase {
    func testFastMatchesReference() {
        var rng = SplitMix64(seed: 31)
        for (r, c, h, w, n) in [(2, 4, 1, 1, 1), (2, 12, 7, 5, 2), (3, 9, 13, 1, 1), (4, 32, 1, 9, 1), (1, 5, 3, 3, 2)] {
            let x = rng.tensor(n: n, c: c, h: h, w: w)
            XCTAssertEqual(Kernels.pixelShuffle(x, factor: r), Reference.pixelShuffle(x, factor: r), "r \(r) c \(c)")
            XCTAssertEqual(Kernels.pixelShuffle(x, factor: r, mode: .offsetMajor),
                           Reference.pixelShuffle(x, factor: r, mode: .offsetMajor), "mode 1 r \(r) c \(c)")
        }
    }

    func testReferenceOrdering() {
        // Channel c*r*r + i*r + j lands at row offset i, column offset j.
        let x = Tensor(c: 4, h: 1, w: 2, data: [1, 2, 10, 20, 100, 200, 1000, 2000])
        let y = Reference.pixelShuffle(x, factor: 2)
        XCTAssertEqual(y.shape, [1, 1, 2, 4])
        XCTAssertEqual(y.data, [1, 10, 2, 20, 100, 1000, 200, 2000])
        // Mode 1 with 2 output channels: offset (i, j) of channel c is input (i*2 + j)*2 + c.
        let z = Reference.pixelShuffle(Tensor(c: 8, h: 1, w: 1, data: (0..<8).map(Float.init)), factor: 2, mode: .offsetMajor)
        XCTAssertEqual(z.data, [0, 2, 4, 6, 1, 3, 5, 7])
    }
}
