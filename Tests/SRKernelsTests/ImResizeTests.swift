@testable import SRKernels
import SRTensor
import XCTest

/// MATLAB-compatible bicubic resize: kernel values, sizes, constants, symmetry and antialiasing.
final class ImResizeTests: XCTestCase {
    func testCubicKernelIsMATLABs() {
        // a = -0.5: at distances 0.25, 0.75, 1.25, 1.75.
        XCTAssertEqual(ResizeWeights.cubic(0.25), 0.8671875, accuracy: 1e-12)
        XCTAssertEqual(ResizeWeights.cubic(0.75), 0.2265625, accuracy: 1e-12)
        XCTAssertEqual(ResizeWeights.cubic(1.25), -0.0703125, accuracy: 1e-12)
        XCTAssertEqual(ResizeWeights.cubic(1.75), -0.0234375, accuracy: 1e-12)
        XCTAssertEqual(ResizeWeights.cubic(2.5), 0)
    }

    func testUpscaleByTwoUsesQuarterPixelTaps() {
        // x2 up: output 2 (1-based 3) sits at input 1.75 (1-based) -> taps at distances 1.75, 0.75, 0.25, 1.25.
        let w = ResizeWeights(from: 8, to: 16)
        let row = Array(w.weight[(2 * w.taps)..<(3 * w.taps)]).filter { $0 != 0 }
        XCTAssertEqual(row, [-0.0234375, 0.2265625, 0.8671875, -0.0703125].map { Float($0) })
    }

    func testConstantsAndSizes() {
        let x = Tensor(n: 2, c: 3, h: 17, w: 12, repeating: 0.37)
        for (h, w) in [(8, 6), (34, 24), (5, 19)] {
            let y = Kernels.imresize(x, outH: h, outW: w)
            XCTAssertEqual(y.shape, [2, 3, h, w])
            for v in y.data { XCTAssertEqual(v, 0.37, accuracy: 1e-6) }
        }
        XCTAssertEqual(Kernels.imresize(x, scale: 0.5).shape, [2, 3, 9, 6])
    }

    func testShrinkAveragesAndIsSymmetric() {
        // A linear ramp shrunk by 2: interior samples are the mean of each pixel pair.
        var ramp = Tensor(c: 1, h: 1, w: 32)
        for i in 0..<32 { ramp.data[i] = Float(i) }
        let y = Kernels.imresize(ramp, outH: 1, outW: 16)
        for i in 3..<13 { XCTAssertEqual(y.data[i], Float(2 * i) + 0.5, accuracy: 1e-4) }
        // Mirror symmetry: reversing the input reverses the output.
        var rev = ramp
        rev.data.reverse()
        let yr = Kernels.imresize(rev, outH: 1, outW: 16)
        for i in 0..<16 { XCTAssertEqual(yr.data[i], y.data[15 - i], accuracy: 1e-4) }
    }

    func testShrinkAntialiases() {
        // A one-pixel checkerboard shrunk by 2 becomes nearly flat grey (plain sampling gives 0 or 1).
        var board = Tensor(c: 1, h: 16, w: 16)
        for y in 0..<16 { for x in 0..<16 { board.data[y * 16 + x] = Float((x + y) % 2) } }
        let y = Kernels.imresize(board, outH: 8, outW: 8)
        for v in y.data { XCTAssertEqual(v, 0.5, accuracy: 0.05) }
    }
}
