@testable import SRKernels
import SRTensor
import XCTest

final class ConvolutionTests: XCTestCase {
    private func check(_ g: ConvGeometry, n: Int = 1, h: Int, w: Int, bias: Bool = true,
                       _ rng: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        let x = rng.tensor(n: n, c: g.inChannels, h: h, w: w)
        let weight = rng.floats(g.weightCount)
        let b = bias ? rng.floats(g.outChannels) : []
        let act = randomActivation(&rng, channels: g.outChannels)
        let ref = Reference.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
        let fast = Kernels.convolution(x, weight: weight, bias: b, geometry: g, activation: act)
        assertClose(fast, ref, "\(g) \(h)x\(w) \(act)", file: file, line: line)
    }

    func testKernelSizesStridesDilations() {
        var rng = SplitMix64(seed: 1)
        for k in 1...5 {
            for stride in 1...2 {
                for dilation in 1...2 where k > 1 || dilation == 1 {
                    let g = ConvGeometry(inChannels: rng.int(1...5), outChannels: rng.int(1...6), kernel: k,
                                         stride: stride, dilation: dilation, pad: rng.int(0...2))
                    check(g, h: rng.int(k * dilation...11), w: rng.int(k * dilation...12), &rng)
                }
            }
        }
    }

    func testPointwiseAndBatch() {
        var rng = SplitMix64(seed: 2)
        check(ConvGeometry(inChannels: 17, outChannels: 5, kernel: 1), n: 2, h: 7, w: 5, &rng)
        check(ConvGeometry(inChannels: 3, outChannels: 8, kernel: 1), h: 1, w: 1, bias: false, &rng)
        check(ConvGeometry(inChannels: 6, outChannels: 4, kernel: 1, groups: 2), n: 2, h: 13, w: 1, &rng)
        check(ConvGeometry(inChannels: 5, outChannels: 3, kernel: 3, pad: 1), n: 2, h: 1, w: 9, &rng)
    }

    func testEdgeShapes() {
        var rng = SplitMix64(seed: 3)
        check(ConvGeometry(inChannels: 3, outChannels: 17, kernel: 3, pad: 1), h: 1, w: 1, &rng)
        check(ConvGeometry(inChannels: 5, outChannels: 3, kernel: 3, pad: 1), h: 7, w: 5, &rng)
        check(ConvGeometry(inChannels: 3, outChannels: 5, kernel: 3, stride: 2, pad: 1), h: 13, w: 1, &rng)
        check(ConvGeometry(inChannels: 2, outChannels: 3, kernel: 2), h: 1, w: 9, &rng)
        check(ConvGeometry(inChannels: 4, outChannels: 3, kernel: 5, pad: 2), h: 2, w: 3, &rng)
    }

    func testGroupsAndDepthwise() {
        var rng = SplitMix64(seed: 4)
        check(ConvGeometry(inChannels: 6, outChannels: 9, kernel: 3, pad: 1, groups: 3), h: 7, w: 5, &rng)
        check(ConvGeometry(inChannels: 5, outChannels: 5, kernel: 3, pad: 1, groups: 5), n: 2, h: 7, w: 6, &rng)
        check(ConvGeometry(inChannels: 17, outChannels: 17, kernel: 3, stride: 2, dilation: 2, pad: 2, groups: 17),
              h: 9, w: 8, &rng)
        check(ConvGeometry(inChannels: 4, outChannels: 8, kernel: 3, stride: 2, pad: 1, groups: 4), h: 5, w: 7, &rng)
        check(ConvGeometry(inChannels: 3, outChannels: 3, kernel: 5, pad: 0, groups: 3), h: 5, w: 5, &rng)
    }

    func testAsymmetricPaddingAndPadValue() {
        var rng = SplitMix64(seed: 5)
        for depthwise in [false, true] {
            var g = ConvGeometry(inChannels: 4, outChannels: 4, kernel: 3, groups: depthwise ? 4 : 1)
            g.kernelW = 2; g.strideW = 2; g.dilationH = 2
            g.padTop = 0; g.padBottom = 2; g.padLeft = 3; g.padRight = 1
            g.padValue = 0.75
            check(g, h: 7, w: 6, &rng)
            check(g, n: 2, h: 5, w: 1, &rng)
        }
    }

    func testRandomGeometries() {
        var rng = SplitMix64(seed: 6)
        for _ in 0..<25 {
            let groups = [1, 1, 2, 3][rng.int(0...3)]
            var g = ConvGeometry(inChannels: groups * rng.int(1...4), outChannels: groups * rng.int(1...4),
                                 kernel: rng.int(1...4), stride: rng.int(1...2), dilation: rng.int(1...2), groups: groups)
            g.kernelW = rng.int(1...4)
            g.padTop = rng.int(0...2); g.padBottom = rng.int(0...2); g.padLeft = rng.int(0...2); g.padRight = rng.int(0...2)
            g.padValue = rng.int(0...1) == 0 ? 0 : rng.float()
            let eh = g.dilationH * (g.kernelH - 1) + 1, ew = g.dilationW * (g.kernelW - 1) + 1
            let h = max(1, rng.int(max(1, eh - g.padTop - g.padBottom)...10))
            let w = max(1, rng.int(max(1, ew - g.padLeft - g.padRight)...10))
            check(g, n: rng.int(1...2), h: h, w: w, &rng)
        }
    }

    /// A wide image with many channels (the GEMM sees a long K and N); must match the reference.
    func testWideImageManyChannels() {
        var rng = SplitMix64(seed: 7)
        check(ConvGeometry(inChannels: 64, outChannels: 2, kernel: 3, pad: 1), h: 3, w: 300, &rng)
    }

    /// Output rows are processed in blocks when the column buffer budget is small; the result must
    /// not depend on the blocking.
    func testRowBlockingMatchesUnblocked() {
        var rng = SplitMix64(seed: 8)
        let g = ConvGeometry(inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: 1)
        let x = rng.tensor(n: 2, c: 3, h: 11, w: 9)
        let weight = rng.floats(g.weightCount), bias = rng.floats(4)
        let whole = Kernels.convolution(x, weight: weight, bias: bias, geometry: g, activation: .relu)
        for budget in [1, 27 * 5, 27 * 5 * 2 + 1] {
            let blocked = Kernels.convolution(x, weight: weight, bias: bias, geometry: g, activation: .relu,
                                              columnBudget: budget)
            assertClose(blocked, whole, "budget \(budget)")
        }
        assertClose(whole, Reference.convolution(x, weight: weight, bias: bias, geometry: g, activation: .relu))
    }

    func testReferenceHandComputed() {
        // 2x2 input, 2x2 all-ones kernel, one column of pad value 10 on the left: window sums.
        let x = Tensor(c: 1, h: 2, w: 2, data: [1, 2, 3, 4])
        var g = ConvGeometry(inChannels: 1, outChannels: 1, kernel: 2)
        g.padLeft = 1; g.padValue = 10
        let y = Reference.convolution(x, weight: [1, 1, 1, 1], bias: [0.5], geometry: g)
        XCTAssertEqual(y.shape, [1, 1, 1, 2])
        XCTAssertEqual(y.data, [24.5, 10.5])
    }
}
