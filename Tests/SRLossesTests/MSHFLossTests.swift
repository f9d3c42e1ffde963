import Foundation
import SRAutograd
@testable import SRLosses
import SRTensor
import TestSupport
import XCTest

/// MSHF (seed 000) as the paper states it: the error map multiplies the images (zero where the
/// details agree), and the 0.4/0.3/0.2/0.1 proportions hold when a scale does not fit the crop.
final class MSHFLossTests: XCTestCase {
    var gc = GradCheck()

    /// An 8x8 pair whose left half is identical and whose right half differs in detail.
    func halfDifferentPair() -> (Tensor, Tensor) {
        let a = gc.tensor(n: 1, c: 3, h: 8, w: 8, 0...1)
        var b = a
        for c in 0..<3 { for y in 0..<8 { for x in 4..<8 { b[0, c, y, x] = a[0, c, y, x] + ((x + y) % 2 == 0 ? 0.2 : -0.2) } } }
        return (a, b)
    }

    func testErrorMapMultipliesTheImages() throws {
        let (a, b) = halfDifferentPair()
        let paper = MSHFLoss.emphasis(a, b, floor: 0)
        let earlier = MSHFLoss.emphasis(a, b, floor: 1)
        XCTAssertEqual(paper.data.max() ?? 0, 1, accuracy: 1e-6, "normalised by its maximum")
        for c in 0..<3 { for y in 0..<8 { for x in 0..<4 {
            XCTAssertEqual(paper[0, c, y, x], 0, "no emphasis where the details agree")
            XCTAssertEqual(earlier[0, c, y, x], 1, "the earlier form keeps the image there")
        } } }
        XCTAssertGreaterThan(paper[0, 0, 0, 6], 0.5)
        XCTAssertEqual(earlier[0, 0, 0, 6], 1 + paper[0, 0, 0, 6], accuracy: 1e-6)
        // Identical images: the map is the floor, and the paper's loss is zero.
        XCTAssertEqual(MSHFLoss.emphasis(a, a, floor: 0).data.max() ?? 1, 0)
        let loss = try LossRegistry.make(LossSpec(type: "mshf_l1"))
        XCTAssertEqual(loss.value(sr: Variable(a), hr: Variable(a)).scalar, 0)
        let value = loss.value(sr: Variable(b), hr: Variable(a)).scalar
        XCTAssertGreaterThan(value, 0)
        // The paper's form is the default; the earlier one is asked for by name.
        let paperLoss = try LossRegistry.make(LossSpec(type: "mshf_l1", params: ["floor": 0, "renormalize": 1]))
        let earlierLoss = try LossRegistry.make(LossSpec(type: "mshf_l1", params: ["floor": 1, "renormalize": 0]))
        XCTAssertEqual(value, paperLoss.value(sr: Variable(b), hr: Variable(a)).scalar)
        XCTAssertNotEqual(value, earlierLoss.value(sr: Variable(b), hr: Variable(a)).scalar)
    }

    func testWeightsAreRenormalisedOverTheScalesThatFit() throws {
        let spec = { (r: Double) in LossSpec(type: "mshf_l1", params: ["renormalize": r]) }
        let on = try LossRegistry.make(spec(1)), off = try LossRegistry.make(spec(0))
        // 8x8: scales 1, 1/2 and 1/4 fit (0.4 + 0.3 + 0.2 = 0.9); 1/8 does not.
        let (a, b) = halfDifferentPair()
        let small = (on.value(sr: Variable(b), hr: Variable(a)).scalar, off.value(sr: Variable(b), hr: Variable(a)).scalar)
        XCTAssertGreaterThan(small.1, 0)
        XCTAssertEqual(small.0, small.1 / 0.9, accuracy: 1e-5 * small.0)
        // 64x64: every scale fits, the weights already sum to 1.
        let x = gc.tensor(n: 1, c: 3, h: 64, w: 64, 0...1), y = gc.tensor(n: 1, c: 3, h: 64, w: 64, 0...1)
        XCTAssertEqual(on.value(sr: Variable(x), hr: Variable(y)).scalar, off.value(sr: Variable(x), hr: Variable(y)).scalar,
                       accuracy: 1e-6)
    }

    func testBadParametersSayWhatIsWrong() {
        let cases: [([String: Double], String)] = [
            (["floor": 2], "loss 'mshf_l1': floor must be in 0...1 (got 2.0)"),
            (["renormalize": 0.5], "loss 'mshf_l1': renormalize must be 0 or 1 (got 0.5)"),
            (["gamma": 1], "loss 'mshf_l1': unknown parameter 'gamma' (takes: floor, renormalize)"),
        ]
        for (params, message) in cases {
            XCTAssertThrowsError(try LossRegistry.make(LossSpec(type: "mshf_l1", params: params))) { e in
                XCTAssertEqual("\(e)", message)
            }
        }
    }
}
