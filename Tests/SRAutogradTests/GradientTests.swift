import Foundation
@testable import SRAutograd
import SRTensor
import TestSupport
import XCTest

/// One gradient check per differentiable op (finite differences, relative error < 1e-3).
final class GradientTests: XCTestCase {
    var gc = GradCheck()

    /// Values kept away from 0 so that kinks (ReLU, abs) are not straddled by ±eps.
    func awayFromZero(_ t: Tensor) -> Tensor { t.map { $0 >= 0 ? $0 + 0.05 : $0 - 0.05 } }

    func testConv2dInputWeightBias() {
        for win in [Window(kernel: 3, pad: 1), Window(kernel: 3, stride: 2, pad: 1), Window(kernel: 1), Window(kernel: 5, pad: 2)] {
            let x = gc.tensor(n: 2, c: 3, h: 7, w: 6), w = gc.tensor(n: 4, c: 3, h: win.kernel, w: win.kernel), b = gc.tensor(c: 4, h: 1, w: 1)
            gc.check([x, w, b]) { v in v[0].conv2d(v[1], bias: v[2], window: win) }
        }
    }

    func testConv2dMatchesReference() {
        let x = gc.tensor(n: 2, c: 3, h: 9, w: 8), w = gc.tensor(n: 5, c: 3, h: 3, w: 3), b = gc.tensor(c: 5, h: 1, w: 1)
        let y = Variable(x).conv2d(Variable(w), bias: Variable(b), window: Window(kernel: 3, stride: 2, pad: 1)).value
        var g = ConvGeometry(inChannels: 3, outChannels: 5, kernel: 3, stride: 2, pad: 1)
        g.groups = 1
        let ref = Reference.convolution(x, weight: w.data, bias: b.data, geometry: g)
        XCTAssertLessThan(y.maxAbsDifference(ref), 1e-5)
    }

    func testDeconv2d() {
        for win in [Window(kernel: 3, stride: 1, pad: 1), Window(kernel: 4, stride: 2, pad: 1), Window(kernel: 9, stride: 4, pad: 3)] {
            let x = gc.tensor(n: 2, c: 3, h: 4, w: 5), w = gc.tensor(n: 3, c: 2, h: win.kernel, w: win.kernel), b = gc.tensor(c: 2, h: 1, w: 1)
            gc.check([x, w, b]) { v in v[0].deconv2d(v[1], bias: v[2], window: win) }
        }
    }

    func testActivations() {
        let x = awayFromZero(gc.tensor(n: 2, c: 3, h: 4, w: 4, -2...2))
        gc.check([x]) { $0[0].relu() }
        gc.check([x]) { $0[0].leakyReLU(0.2) }
        gc.check([x]) { $0[0].sigmoid() }
        gc.check([x]) { $0[0].softplus() }
        gc.check([x, gc.tensor(c: 3, h: 1, w: 1, 0...0.5)]) { $0[0].prelu($0[1]) }
        gc.check([x, gc.tensor(c: 1, h: 1, w: 1, 0...0.5)]) { $0[0].prelu($0[1]) }
    }

    func testPixelShuffle() {
        gc.check([gc.tensor(n: 2, c: 8, h: 3, w: 2)]) { $0[0].pixelShuffle(2) }
        gc.check([gc.tensor(c: 9, h: 2, w: 3)]) { $0[0].pixelShuffle(3) }
    }

    func testInterp() {
        for mode in ResampleMode.allCases {
            gc.check([gc.tensor(n: 2, c: 2, h: 5, w: 4)]) { $0[0].interp(mode, scale: 2) }
            gc.check([gc.tensor(c: 1, h: 9, w: 8)]) { $0[0].interp(mode, outH: 4, outW: 3) }
        }
    }

    func testArithmeticConcatCrop() {
        let a = gc.tensor(n: 2, c: 2, h: 3, w: 4), b = gc.tensor(n: 2, c: 2, h: 3, w: 4), c = gc.tensor(n: 2, c: 1, h: 3, w: 4)
        gc.check([a, b]) { $0[0] + $0[1] }
        gc.check([a, b]) { $0[0] - $0[1] }
        gc.check([a, b]) { $0[0] * $0[1] }
        gc.check([a]) { $0[0] * 3 + 1 }
        gc.check([a, c]) { Variable.concat([$0[0], $0[1]]) }
        gc.check([a]) { $0[0].crop(channel: 1, c: 1, top: 1, left: 1, h: 2, w: 2) }
    }

    func testPoolingNormalizeAndChannelOps() {
        // Distinct values so that no max is tied.
        var x = gc.tensor(n: 2, c: 3, h: 7, w: 6, -2...2)
        for i in 0..<x.count { x.data[i] += Float(i % 13) * 0.3 }
        gc.check([x]) { $0[0].maxPool(kernel: 3, stride: 2) }
        gc.check([x]) { $0[0].maxPool(kernel: 2, stride: 2) }
        gc.check([gc.tensor(n: 2, c: 4, h: 3, w: 3)]) { $0[0].channelNormalized() }
        gc.check([gc.tensor(n: 2, c: 4, h: 3, w: 3)]) { $0[0].spatialMean() }
        gc.check([gc.tensor(n: 1, c: 3, h: 2, w: 3)]) { $0[0].channelAffine(scale: [2, -1, 0.5], shift: [0.1, 0.2, 0.3]) }
        gc.check([gc.tensor(n: 2, c: 4, h: 2, w: 3, 0.5...2)]) { $0[0].channelSumNormalized() }
        gc.check([x]) { $0[0].spatialMax() }
        gc.check([x]) { $0[0].image(1) }
    }

    /// SR3's ops: SiLU, per-pixel GroupNorm (input, γ and β; groups of 1, 2 and 4 channels).
    func testSiLUAndPixelGroupNorm() {
        let x = gc.tensor(n: 2, c: 4, h: 3, w: 3, -3...3)
        gc.check([x]) { $0[0].silu() }
        for groups in [1, 2, 4] {
            let g = gc.tensor(c: 4, h: 1, w: 1, 0.5...1.5), b = gc.tensor(c: 4, h: 1, w: 1)
            gc.check([x, g, b], eps: 2e-3, tol: 1e-2) { v in v[0].pixelGroupNorm(groups: groups, gamma: v[1], beta: v[2]) }
        }
        // Every pixel's group is normalised on its own: mean 0, variance 1 with γ = 1, β = 0.
        let y = Variable(x).pixelGroupNorm(groups: 2, gamma: Variable(Tensor(c: 4, h: 1, w: 1, repeating: 1)),
                                           beta: Variable(Tensor(c: 4, h: 1, w: 1))).value
        for j in 0..<9 {
            let v = (0..<2).map { y.data[$0 * 9 + j] }
            XCTAssertEqual(v[0] + v[1], 0, accuracy: 1e-5)
            XCTAssertEqual((v[0] * v[0] + v[1] * v[1]) / 2, 1, accuracy: 0.01)
        }
    }

    func testBatchNormTrainAndEval() {
        let x = gc.tensor(n: 3, c: 2, h: 3, w: 3), gamma = gc.tensor(c: 2, h: 1, w: 1, 0.5...1.5), beta = gc.tensor(c: 2, h: 1, w: 1)
        gc.check([x, gamma, beta]) { v in v[0].batchNorm(gamma: v[1], beta: v[2], stats: BatchNormStats(channels: 2), training: true) }
        let stats = BatchNormStats(channels: 2)
        stats.mean = [0.3, -0.2]; stats.variance = [0.5, 2]
        gc.check([x, gamma, beta]) { v in v[0].batchNorm(gamma: v[1], beta: v[2], stats: stats, training: false) }
    }

    func testReductionsAndUnary() {
        let x = awayFromZero(gc.tensor(n: 2, c: 2, h: 3, w: 3))
        gc.check([x], eps: 0.1) { $0[0].sum() }
        gc.check([x], eps: 0.1) { $0[0].mean() }
        gc.check([x]) { $0[0].abs() }
        gc.check([x]) { $0[0].square() }
        gc.check([x.map { Swift.abs($0) + 0.5 }]) { $0[0].sqrt() }
        gc.check([x.map { Swift.abs($0) + 0.5 }]) { $0[0].log() }
        gc.check([x]) { $0[0].exp() }
    }

    func testAdamMinimizesQuadratic() {
        let p = Variable(Tensor(c: 1, h: 1, w: 3, data: [3, -2, 1]), requiresGrad: true)
        let adam = Adam(sizes: [3])
        for t in 0..<500 {
            let loss = (p + (-0.5)).square().sum()
            loss.backward()
            adam.step([p], lr: LRSchedule(base: 0.05, kind: .cosine(total: 500, minimum: 0.001)).rate(at: t))
        }
        for v in p.value.data { XCTAssertEqual(v, 0.5, accuracy: 1e-2) }
        XCTAssertNil(p.grad)
    }

    func testSchedulesAndClipping() {
        let s = LRSchedule(base: 1, kind: .step(milestones: [10, 20], gamma: 0.5), warmup: 4)
        XCTAssertEqual(s.rate(at: 0), 0.25); XCTAssertEqual(s.rate(at: 5), 1); XCTAssertEqual(s.rate(at: 15), 0.5); XCTAssertEqual(s.rate(at: 25), 0.25)
        let c = LRSchedule(base: 1, kind: .cosine(total: 100, minimum: 0))
        XCTAssertEqual(c.rate(at: 50), 0.5, accuracy: 1e-6); XCTAssertEqual(c.rate(at: 100), 0, accuracy: 1e-6)
        let p = Variable(Tensor(c: 1, h: 1, w: 2), requiresGrad: true)
        p.grad = Tensor(c: 1, h: 1, w: 2, data: [3, 4])
        XCTAssertEqual(GradientClip.clip([p], maxNorm: 1), 5)
        XCTAssertEqual(p.grad?.data[0] ?? 0, 0.6, accuracy: 1e-6)
    }
}
