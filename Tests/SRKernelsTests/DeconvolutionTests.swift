@testable import SRKernels
import SRTensor
import XCTest

final class DeconvolutionTests: XCTestCase {
    private func check(_ g: ConvGeometry, n: Int = 1, h: Int, w: Int, budget: Int? = nil,
                       _ rng: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        let x = rng.tensor(n: n, c: g.inChannels, h: h, w: w)
        let weight = rng.floats(g.weightCount)
        let b = rng.int(0...3) == 0 ? [] : rng.floats(g.outChannels)
        let act = randomActivation(&rng, channels: g.outChannels)
        let ref = Reference.deconvolution(x, weight: weight, bias: b, geometry: g, activation: act)
        let fast = budget.map {
            Kernels.deconvolution(x, weight: weight, bias: b, geometry: g, activation: act, columnBudget: $0)
        } ?? Kernels.deconvolution(x, weight: weight, bias: b, geometry: g, activation: act)
        assertClose(fast, ref, "\(g) \(h)x\(w) \(act)", file: file, line: line)
    }

    func testKernelsStridesDilations() {
        var rng = SplitMix64(seed: 11)
        for k in 1...5 {
            for stride in 1...2 {
                for dilation in 1...2 where k > 1 || dilation == 1 {
                    let g = ConvGeometry(inChannels: rng.int(1...5), outChannels: rng.int(1...5), kernel: k,
                                         stride: stride, dilation: dilation, pad: rng.int(0...(k - 1) / 2))
                    check(g, n: rng.int(1...2), h: rng.int(1...7), w: rng.int(1...8), &rng)
                }
            }
        }
    }

    func testGroupsOutputPadAndAsymmetricCrop() {
        var rng = SplitMix64(seed: 12)
        check(ConvGeometry(inChannels: 6, outChannels: 4, kernel: 4, stride: 2, pad: 1, groups: 2), h: 5, w: 3, &rng)
        check(ConvGeometry(inChannels: 5, outChannels: 5, kernel: 3, stride: 2, pad: 1, groups: 5), n: 2, h: 7, w: 5, &rng)
        var g = ConvGeometry(inChannels: 3, outChannels: 17, kernel: 3, stride: 2)
        g.kernelW = 2; g.padTop = 2; g.padBottom = 0; g.padLeft = 0; g.padRight = 1
        g.outputPadBottom = 1; g.outputPadRight = 1
        check(g, h: 1, w: 9, &rng)
        check(g, h: 13, w: 1, &rng)
        check(g, h: 1, w: 1, &rng)
    }

    func testRowBlocking() {
        var rng = SplitMix64(seed: 13)
        let g = ConvGeometry(inChannels: 4, outChannels: 3, kernel: 4, stride: 2, pad: 1)
        for budget in [1, 48 * 6, 48 * 6 * 3 + 5] { check(g, n: 2, h: 7, w: 6, budget: budget, &rng) }
    }

    func testReferenceOneHotGivesKernel() {
        // A single 1 in the middle of a 3x3 input, stride 2, 3x3 kernel: the kernel appears, unflipped,
        // at (2*1, 2*1) of the 7x7 full output.
        var x = Tensor(c: 1, h: 3, w: 3)
        x[0, 1, 1] = 1
        let kernel: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let g = ConvGeometry(inChannels: 1, outChannels: 1, kernel: 3, stride: 2)
        let y = Reference.deconvolution(x, weight: kernel, bias: [0.5], geometry: g)
        XCTAssertEqual(y.shape, [1, 1, 7, 7])
        for ky in 0..<7 {
            for kx in 0..<7 {
                let inside = (2..<5).contains(ky) && (2..<5).contains(kx)
                XCTAssertEqual(y[0, ky, kx], inside ? kernel[(ky - 2) * 3 + kx - 2] + 0.5 : 0.5)
            }
        }
        // Padding 1 crops one row/column on each side; output_pad adds a bias-only row/column.
        var cropped = g
        cropped.padTop = 1; cropped.padBottom = 1; cropped.padLeft = 1; cropped.padRight = 1
        cropped.outputPadBottom = 1; cropped.outputPadRight = 1
        let z = Reference.deconvolution(x, weight: kernel, bias: [0.5], geometry: cropped)
        XCTAssertEqual(z.shape, [1, 1, 6, 6])
        XCTAssertEqual(z[0, 1, 1], 1.5)
        XCTAssertEqual(z[0, 3, 3], 9.5)
        XCTAssertEqual(z[0, 5, 5], 0.5)
    }
}
