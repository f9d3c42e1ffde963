@testable import SRKernels
import SRTensor
import XCTest

/// Winograd F(6x6, 3x3) against the reference convolution: max error <= 1e-4 of the output's scale.
final class WinogradTests: XCTestCase {
    /// Checks every kernel variant this CPU runs (generic, avx2, the 16-lane code compiled for
    /// AVX2, and avx512 where present) on the same case.
    private func check(_ g: ConvGeometry, n: Int = 1, h: Int, w: Int, block: Int = Kernels.winogradTileBlock,
                       threads: Int = 2, _ rng: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        let x = rng.tensor(n: n, c: g.inChannels, h: h, w: w)
        let weight = rng.floats(g.weightCount)
        let b = rng.floats(g.outChannels)
        let act = randomActivation(&rng, channels: g.outChannels)
        let ref = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
        let wt = WinogradWeights(weight: weight, outChannels: g.outChannels, inChannels: g.inChannels)
        let tolerance = WinogradTests.tolerance(x, weight, b, g, ref)
        for isa in KernelISA.supported {
            let fast = Kernels.winogradConvolution(x, weights: wt, bias: b, geometry: g, activation: act, tileBlock: block,
                                                   context: ExecutionContext(threads: threads, isa: isa))
            assertClose(fast, ref, "\(isa): \(g) \(h)x\(w) \(act) block \(block)", tolerance: tolerance, file: file, line: line)
        }
    }

    /// 1e-4 of the pre-activation output's scale (a clip or sigmoid bounds the output, not the
    /// rounding of the sums before it), expressed relative to `ref`'s scale as `assertClose` takes it.
    private static func tolerance(_ x: Tensor, _ weight: [Float], _ b: [Float], _ g: ConvGeometry, _ ref: Tensor) -> Float {
        let pre = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: .none)
        let big = { (t: Tensor) in max(1, t.data.reduce(Float(0)) { max($0, abs($1)) }) }
        return 1e-4 * big(pre) / big(ref)
    }

    func testEveryVariantAndChannelRemainders() {
        var rng = SplitMix64(seed: 14)
        XCTAssertTrue(KernelISA.supported.contains(.generic))
        // Channel counts around the 8- and 16-lane widths, both sides.
        for (ci, co) in [(8, 8), (9, 17), (15, 16), (16, 15), (17, 33), (32, 12), (48, 3 * 16), (64, 64), (72, 16)] where co >= 8 {
            check(ConvGeometry(inChannels: ci, outChannels: co, kernel: 3, pad: 1), h: 14 + ci % 5, w: 20 + co % 7, &rng)
        }
        for act: Activation in [.none, .relu, .leakyReLU(0.2), .prelu([0.1]), .clip(-0.3, 0.4), .sigmoid] {
            let g = ConvGeometry(inChannels: 16, outChannels: 24, kernel: 3, pad: 1)
            let x = rng.tensor(c: 16, h: 19, w: 25), weight = rng.floats(g.weightCount), b = rng.floats(24)
            let ref = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
            let wt = WinogradWeights(weight: weight, outChannels: 24, inChannels: 16)
            let tolerance = WinogradTests.tolerance(x, weight, b, g, ref)
            for isa in KernelISA.supported {
                assertClose(Kernels.winogradConvolution(x, weights: wt, bias: b, geometry: g, activation: act, context: ExecutionContext(isa: isa)),
                            ref, "\(isa) \(act)", tolerance: tolerance)
            }
        }
    }

    /// Channel-blocked input and/or output (the layout of Winograd chains) give the same values
    /// as planes, for every variant, with border tiles, a batch and per-channel slopes.
    func testChannelBlockedSidesMatchPlanes() {
        var rng = SplitMix64(seed: 16)
        for (ci, co, h, w) in [(16, 16, 14, 14), (32, 32, 23, 31), (16, 48, 19, 40), (32, 16, 37, 13)] {
            let g = ConvGeometry(inChannels: ci, outChannels: co, kernel: 3, pad: 1)
            let x = rng.tensor(n: 2, c: ci, h: h, w: w), weight = rng.floats(g.weightCount), b = rng.floats(co)
            let act = Activation.prelu(rng.floats(co, 0, 0.5))
            let ref = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
            let wt = WinogradWeights(weight: weight, outChannels: co, inChannels: ci)
            let tolerance = WinogradTests.tolerance(x, weight, b, g, ref)
            let bx = Kernels.blockChannels(x)
            XCTAssertNotEqual(bx.data, x.data, "blocking rearranges the values")
            XCTAssertEqual(Kernels.unblockChannels(bx), x)
            for isa in KernelISA.supported {
                for (bin, bout) in [(true, false), (false, true), (true, true)] {
                    let y = Kernels.winogradConvolution(bin ? bx : x, weights: wt, bias: b, geometry: g, activation: act,
                                                        blockedInput: bin, blockedOutput: bout, tileBlock: 5, context: ExecutionContext(threads: 2, isa: isa))
                    assertClose(bout ? Kernels.unblockChannels(y) : y, ref, "\(isa) \(ci)->\(co) \(h)x\(w) in \(bin) out \(bout)",
                                tolerance: tolerance)
                }
            }
        }
    }

    /// Without AVX-512 the avx512 variant cannot run here; its 16-lane source is still checked
    /// above as avx2-w16. On an AVX-512 machine this runs the real thing.
    func testAVX512VariantWhereTheCPUHasIt() throws {
        try XCTSkipUnless(KernelISA.avx512.isSupported, "this CPU has no AVX-512 (the 16-lane code ran as avx2-w16)")
        XCTAssertEqual(KernelISA.best, .avx512)
        var rng = SplitMix64(seed: 15)
        check(ConvGeometry(inChannels: 64, outChannels: 64, kernel: 3, pad: 1), h: 37, w: 45, &rng)
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
