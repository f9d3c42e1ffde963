import SRKernels
import SRTensor
import XCTest

final class PoolingTests: XCTestCase {
    func testGlobal() {
        var rng = SplitMix64(seed: 61)
        for kind in [PoolingKind.max, .average] {
            for (h, w) in [(1, 1), (7, 5), (13, 1)] {
                let x = rng.tensor(n: 2, c: 17, h: h, w: w)
                let g = PoolingGeometry(kind: kind, global: true)
                assertClose(Kernels.pooling(x, g), Reference.pooling(x, g), "\(kind) \(h)x\(w)")
            }
        }
    }

    func testWindowedAllPadModes() {
        var rng = SplitMix64(seed: 62)
        for kind in [PoolingKind.max, .average] {
            for mode in [PoolingPadMode.full, .valid, .sameUpper, .sameLower] {
                for includePad in [false, true] {
                    for _ in 0..<4 {
                        var g = PoolingGeometry(kind: kind, global: false, kernel: rng.int(1...3), stride: rng.int(1...2))
                        g.padTop = rng.int(0...1); g.padLeft = rng.int(0...1); g.padRight = rng.int(0...1)
                        g.padMode = mode; g.countIncludePad = includePad
                        let x = rng.tensor(n: rng.int(1...2), c: 3, h: rng.int(3...8), w: rng.int(3...7))
                        assertClose(Kernels.pooling(x, g), Reference.pooling(x, g), "\(g) \(x.shape)")
                    }
                }
            }
        }
    }

    func testReferenceFullPaddingKeepsTail() {
        // 5 wide, kernel 2 stride 2: full padding keeps a third window over the last column.
        let x = Tensor(c: 1, h: 1, w: 5, data: [1, 2, 3, 4, 5])
        var g = PoolingGeometry(kind: .average, global: false, kernel: 1, stride: 1)
        g.kernelW = 2; g.strideW = 2
        XCTAssertEqual(Reference.pooling(x, g).data, [1.5, 3.5, 5])
        g.countIncludePad = true
        XCTAssertEqual(Reference.pooling(x, g).data, [1.5, 3.5, 2.5])
        g.padMode = .valid
        XCTAssertEqual(Reference.pooling(x, g).data, [1.5, 3.5])
        g.kind = .max; g.padMode = .full
        XCTAssertEqual(Reference.pooling(x, g).data, [2, 4, 5])
    }
}
