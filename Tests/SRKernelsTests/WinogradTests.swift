@testable import SRKernels
import SRTensor
import XCTest

/// Winograd F(6x6, 3x3) against the reference convolution: max error <= 1e-4 of the output's scale.
final class WinogradTests: XCTestCase {
    private func check(_ g: ConvGeometry, n: Int = 1, h: Int, w: Int, block: Int = Kernels.winogradTileBlock,
                       _ rng: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        let x = rng.tensor(n: n, c: g.inChannels, h: h, w: w)
        let weight = rng.floats(g.weightCount)
        let b = rng.floats(g.outChannels)
        let act = randomActivation(&rng, channels: g.outChannels)
        let ref = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
        let wt = WinogradWeights(weight: weight, outChannels: g.outChannels, inChannels: g.inChannels)
        let fast = Kernels.winogradConvolution(x, weights: wt, bias: b, geometry: g, activation: act, tileBlock: block)
        assertClose(fast, ref, "\(g) \(h)x\(w) \(act) block \(block)", file: file, line: line)
    }

    func testSamePaddingAtManySizes() {
        var rng = SplitMix64(seed: 11)
        for (h, w) in [(12, 12), (13, 17), (6, 50), (31, 7), (48, 64), (5, 5)] {
            check(ConvGeometry(inChannels: 16, outChannels: 24, kernel: 3, pad: 1), h: h, w: w, &rng)
        }
    }

    func testValidPaddingBatchAndSmallBlocks() {
        var rng = SplitMix64(seed: 12)
        check(ConvGeometry(inChannels: 8, outChannels: 8, kernel: 3), n: 2, h: 20, w: 23, &rng)
        check(ConvGeometry(inChannels: 12, outChannels: 9, kernel: 3, pad: 1), h: 40, w: 33, block: 7, &rng)
        check(ConvGeometry(inChannels: 64, outChannels: 64, kernel: 3, pad: 1), h: 37, w: 45, block: 1, &rng)
    }

    func testAsymmetricPaddingAndPadValue() {
        var rng = SplitMix64(seed: 13)
        var g = ConvGeometry(inChannels: 9, outChannels: 10, kernel: 3)
        g.padTop = 2; g.padLeft = 1; g.padRight = 0; g.padBottom = 1; g.padValue = 0.5
        check(g, h: 19, w: 26, &rng)
    }

    func testOnlyPlainThreeByThreeQualifies() {
        XCTAssertTrue(WinogradWeights.applies(to: ConvGeometry(inChannels: 16, outChannels: 16, kernel: 3, pad: 1)))
        XCTAssertFalse(WinogradWeights.applies(to: ConvGeometry(inChannels: 16, outChannels: 16, kernel: 3, stride: 2)))
        XCTAssertFalse(WinogradWeights.applies(to: ConvGeometry(inChannels: 16, outChannels: 16, kernel: 3, dilation: 2)))
        XCTAssertFalse(WinogradWeights.applies(to: ConvGeometry(inChannels: 16, outChannels: 16, kernel: 5)))
        XCTAssertFalse(WinogradWeights.applies(to: ConvGeometry(inChannels: 3, outChannels: 64, kernel: 3, pad: 1)))
        XCTAssertFalse(WinogradWeights.applies(to: ConvGeometry(inChannels: 16, outChannels: 16, kernel: 3, groups: 16)))
    }
}
