import SRKernels
import SRTensor
import XCTest

final class InterpTests: XCTestCase {
    func testFastMatchesReference() {
        var rng = SplitMix64(seed: 21)
        let sizes = [(1, 1, 3, 2), (7, 5, 14, 10), (13, 1, 26, 3), (1, 9, 2, 27), (8, 6, 5, 4), (5, 7, 17, 11), (2, 3, 9, 1)]
        for mode in [InterpMode.nearest, .bilinear, .bicubic] {
            for align in [false, true] {
                for (h, w, oh, ow) in sizes {
                    let x = rng.tensor(n: rng.int(1...2), c: [1, 3, 5][rng.int(0...2)], h: h, w: w)
                    let ref = Reference.interp(x, mode: mode, outH: oh, outW: ow, alignCorners: align)
                    let fast = Kernels.interp(x, mode: mode, outH: oh, outW: ow, alignCorners: align)
                    assertClose(fast, ref, "\(mode) align \(align) \(h)x\(w) -> \(oh)x\(ow)")
                }
            }
        }
    }

    func testScaleFactorsMatchReference() {
        var rng = SplitMix64(seed: 22)
        for mode in [InterpMode.nearest, .bilinear, .bicubic] {
            for (h, w, s) in [(4, 4, Float(1.7)), (5, 3, 2), (7, 6, 3), (9, 2, 0.5)] {
                let x = rng.tensor(c: 3, h: h, w: w)
                let ref = Reference.interp(x, mode: mode, heightScale: s, widthScale: s)
                let fast = Kernels.interp(x, mode: mode, heightScale: s, widthScale: s)
                XCTAssertEqual(fast.shape, [1, 3, Int(Float(h) * s), Int(Float(w) * s)])
                assertClose(fast, ref, "\(mode) scale \(s)")
            }
        }
    }

    func testReferenceNearestIndices() {
        let x = Tensor(c: 1, h: 1, w: 4, data: [0, 1, 2, 3])
        // Output size 6: step 4/6; scale 1.7: size Int(6.8) = 6 but step 1/1.7 (ncnn differs here).
        XCTAssertEqual(Reference.interp(x, mode: .nearest, outH: 1, outW: 6).data, [0, 0, 1, 2, 2, 3])
        XCTAssertEqual(Reference.interp(x, mode: .nearest, heightScale: 1, widthScale: 1.7).data, [0, 0, 1, 1, 2, 2])
        let y = Tensor(c: 1, h: 1, w: 3, data: [0, 1, 2])
        XCTAssertEqual(Reference.interp(y, mode: .nearest, outH: 1, outW: 7).data, [0, 0, 0, 1, 1, 2, 2])
    }

    func testReferenceBilinearHalfPixelAndAlignCorners() {
        let x = Tensor(c: 1, h: 1, w: 2, data: [0, 4])
        XCTAssertEqual(Reference.interp(x, mode: .bilinear, outH: 1, outW: 4).data, [0, 1, 3, 4])
        let aligned = Reference.interp(x, mode: .bilinear, outH: 1, outW: 5, alignCorners: true).data
        XCTAssertEqual(aligned, [0, 1, 2, 3, 4])
    }

    /// Bicubic with A = -0.75 does not reproduce a linear ramp exactly: the overshoot pins A and
    /// the clamped border taps (ncnn's border folding).
    func testReferenceBicubicRamp() {
        let x = Tensor(c: 1, h: 1, w: 8, data: (0..<8).map(Float.init))
        let y = Reference.interp(x, mode: .bicubic, outH: 1, outW: 16).data
        // f = 0.25 weights: -0.10546875, 0.87890625, 0.26171875, -0.03515625 (first moment 0.296875).
        XCTAssertEqual(y[0], -0.10546875, accuracy: 1e-6)          // coordinate -0.25: taps clamp to x[0], x[1]
        XCTAssertEqual(y[4], 1 + 0.703125, accuracy: 1e-6)         // coordinate 1.75
        XCTAssertEqual(y[5], 2 + 0.296875, accuracy: 1e-6)         // coordinate 2.25
        XCTAssertEqual(y[15], 7 + 0.10546875, accuracy: 1e-6)      // coordinate 7.25: mirrored border
        let same = Reference.interp(x, mode: .bicubic, outH: 1, outW: 8).data
        XCTAssertEqual(same, x.data)
    }
}
