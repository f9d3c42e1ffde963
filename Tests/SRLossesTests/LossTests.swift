import Foundation
import SRAutograd
import SRLosses
import SRTensor
import TestSupport
import XCTest

/// Each loss of the registry: finite-difference gradients and known values.
final class LossTests: XCTestCase {
    var gc = GradCheck()

    /// Values kept away from 0 so that kinks (|.|) are not straddled by ±eps.
    func awayFromZero(_ t: Tensor) -> Tensor { t.map { $0 >= 0 ? $0 + 0.05 : $0 - 0.05 } }

    func testCrossEntropyAndFCSLosses() throws {
        let logits = gc.tensor(n: 2, c: 2 * 5, h: 2, w: 3, -2...2)
        let targets: [Int32] = (0..<(2 * 2 * 6)).map { Int32($0 % 5) }
        gc.check([logits], eps: 0.05) { $0[0].crossEntropy(targets: targets, classes: 5) }
        // Uniform logits: the loss is log(classes).
        XCTAssertEqual(Variable(Tensor(c: 4, h: 1, w: 1)).crossEntropy(targets: [2], classes: 4).scalar, Foundation.log(4), accuracy: 1e-6)
        let sr = gc.tensor(n: 1, c: 3 + 3 * 8, h: 6, w: 6), hr = gc.tensor(n: 1, c: 3, h: 6, w: 6, 0...1)
        for name in ["fcs", "ce"] {
            let loss = try LossRegistry.make(LossSpec(type: name))
            gc.check([sr], eps: 0.05) { loss.value(sr: $0[0], hr: Variable(hr)) }
        }
    }


    func testLosses() throws {
        // The target differs from the output by at least 0.05 everywhere: no kink of |.| is straddled.
        let sr = gc.tensor(n: 2, c: 3, h: 5, w: 5), hr = sr.zipMap(awayFromZero(gc.tensor(n: 2, c: 3, h: 5, w: 5)), +)
        for name in ["l1", "mse", "charbonnier"] {
            let loss = try LossRegistry.make(LossSpec(type: name, params: name == "charbonnier" ? ["epsilon": 0.1] : [:]))
            gc.check([sr, hr]) { loss.value(sr: $0[0], hr: $0[1]) }
        }
        let tv = try LossRegistry.make(LossSpec(type: "tv"))
        gc.check([sr]) { tv.value(sr: $0[0], hr: Variable(hr)) }
    }


    func testLossValues() throws {
        let sr = Variable(Tensor(c: 1, h: 2, w: 2, data: [0, 1, 2, 3])), hr = Variable(Tensor(c: 1, h: 2, w: 2, data: [1, 1, 1, 1]))
        XCTAssertEqual(try LossRegistry.make(LossSpec(type: "l1")).value(sr: sr, hr: hr).scalar, 1, accuracy: 1e-6)
        XCTAssertEqual(try LossRegistry.make(LossSpec(type: "mse")).value(sr: sr, hr: hr).scalar, 1.5, accuracy: 1e-6)
        // TV: vertical diffs (2, 2) -> mean 4; horizontal (1, 1) -> mean 1.
        XCTAssertEqual(try LossRegistry.make(LossSpec(type: "tv")).value(sr: sr, hr: hr).scalar, 5, accuracy: 1e-6)
        XCTAssertThrowsError(try LossRegistry.make(LossSpec(type: "l2"))) { e in
            XCTAssertTrue("\(e)".contains("known: adversarial, ce, charbonnier, contextual, fcs, l1, lpips, lpips_vgg, mse, mshf, mshf_l1, tv, vgg"), "\(e)")
        }
        XCTAssertThrowsError(try LossRegistry.make(LossSpec(type: "charbonnier", params: ["eps": 1])))
    }

    /// A term aimed at a fusion source compares the output with that source, and is logged so.
    func testTermsCompareWithTheirTarget() throws {
        let sr = Variable(Tensor(c: 1, h: 1, w: 2, data: [0, 2])), hr = Variable(Tensor(c: 1, h: 1, w: 2, data: [0, 0]))
        let r = Variable(Tensor(c: 1, h: 1, w: 2, data: [1, 1])), g = Variable(Tensor(c: 1, h: 1, w: 2, data: [0, 4]))
        let loss = try WeightedLoss([LossSpec(type: "l1"), LossSpec(type: "l1", weight: 2, target: .fidelity),
                                     LossSpec(type: "l1", weight: 3, target: .perceptual)])
        XCTAssertTrue(loss.needsSources)
        let (total, terms) = loss.evaluate(sr: sr, hr: hr, sources: (r, g))
        XCTAssertEqual(terms.map(\.name), ["l1", "l1/fidelity", "l1/perceptual"])
        XCTAssertEqual(terms.map(\.value), [1, 1, 1])
        XCTAssertEqual(total.scalar, 6, accuracy: 1e-6)
        XCTAssertEqual(LossSpec(type: "contextual", weight: 0.05, target: .perceptual).summary, "contextual/perceptual*0.05")
    }
}
