import SRKernels
import SRTensor
import XCTest

final class ElementwiseTests: XCTestCase {
    func testActivation() {
        var rng = SplitMix64(seed: 51)
        for _ in 0..<12 {
            let x = rng.tensor(n: rng.int(1...2), c: rng.int(1...17), h: rng.int(1...7), w: rng.int(1...5))
            let act = randomActivation(&rng, channels: x.c)
            assertClose(Kernels.activation(x, act), Reference.activation(x, act), "\(act)")
        }
    }

    /// The vector SiLU of every supported ISA against the scalar reference (odd lengths hit the
    /// tails; ±100 hits the clamps), and per-pixel GroupNorm against its two-pass reference.
    func testSiLUAndPixelGroupNorm() {
        var rng = SplitMix64(seed: 57)
        for isa in KernelISA.supported {
            for count in [1, 7, 8, 17, 33, 100] {
                var x = rng.tensor(n: 1, c: 1, h: 1, w: count)
                x.data = x.data.map { $0 * 12 }
                x.data[0] = count % 2 == 0 ? 100 : -100
                assertClose(Kernels.silu(x, isa: isa), Reference.silu(x), "\(isa) \(count)", tolerance: 1e-6)
            }
        }
        for (c, groups) in [(4, 1), (6, 3), (16, 8)] {
            let x = rng.tensor(n: 2, c: c, h: 5, w: 3), g = rng.floats(c), b = rng.floats(c)
            for threads in [1, 2] {
                assertClose(Kernels.pixelGroupNorm(x, groups: groups, gamma: g, beta: b, context: ExecutionContext(threads: threads)),
                            Reference.pixelGroupNorm(x, groups: groups, gamma: g, beta: b), "\(c)/\(groups)")
            }
        }
    }

    func testScale() {
        var rng = SplitMix64(seed: 52)
        let x = rng.tensor(n: 2, c: 5, h: 7, w: 3)
        let s = rng.floats(5), b = rng.floats(5), sn = rng.floats(10)
        assertClose(Kernels.scale(x, scale: s, bias: b), Reference.scale(x, scale: s, bias: b))
        assertClose(Kernels.scale(x, scale: sn), Reference.scale(x, scale: sn))
    }

    func testEltwise() {
        var rng = SplitMix64(seed: 53)
        for op in [EltwiseKind.prod, .sum, .max] {
            for count in 1...3 {
                let inputs = (0..<count).map { _ in rng.tensor(n: 2, c: 3, h: 5, w: 1) }
                assertClose(Kernels.eltwise(inputs, op), Reference.eltwise(inputs, op), "\(op) \(count)")
                let coeffs = rng.floats(count)
                assertClose(Kernels.eltwise(inputs, op, coefficients: coeffs),
                            Reference.eltwise(inputs, op, coefficients: coeffs), "\(op) \(count) coeffs")
            }
        }
        let a = Tensor(c: 1, h: 1, w: 2, data: [1, 2]), b = Tensor(c: 1, h: 1, w: 2, data: [3, 5])
        XCTAssertEqual(Reference.eltwise([a, b], .sum, coefficients: [2, -1]).data, [-1, -1])
    }

    func testConcatAndCrop() {
        var rng = SplitMix64(seed: 54)
        let parts = [3, 1, 17].map { rng.tensor(n: 2, c: $0, h: 7, w: 5) }
        XCTAssertEqual(Kernels.concatChannels(parts), Reference.concatChannels(parts))
        let x = rng.tensor(n: 2, c: 5, h: 13, w: 9)
        for (ch, top, left, c, h, w) in [(0, 0, 0, 5, 13, 9), (1, 2, 3, 3, 7, 1), (4, 12, 8, 1, 1, 1), (2, 0, 1, 2, 13, 8)] {
            XCTAssertEqual(Kernels.crop(x, channel: ch, top: top, left: left, c: c, h: h, w: w),
                           Reference.crop(x, channel: ch, top: top, left: left, c: c, h: h, w: w))
        }
        XCTAssertEqual(Kernels.crop(x, channel: 2, top: 1, left: 1, h: 2, w: 2).c, 3)
    }

    func testInnerProduct() {
        var rng = SplitMix64(seed: 55)
        for (n, c, h, w, outCount) in [(1, 3, 1, 1, 5), (2, 5, 7, 3, 17), (2, 17, 1, 1, 1)] {
            let x = rng.tensor(n: n, c: c, h: h, w: w)
            let weight = rng.floats(outCount * c * h * w), bias = rng.floats(outCount)
            let act = randomActivation(&rng, channels: outCount)
            assertClose(Kernels.innerProduct(x, weight: weight, bias: bias, outCount: outCount, activation: act),
                        Reference.innerProduct(x, weight: weight, bias: bias, outCount: outCount, activation: act))
            assertClose(Kernels.innerProduct(x, weight: weight, bias: [], outCount: outCount),
                        Reference.innerProduct(x, weight: weight, bias: [], outCount: outCount))
        }
    }
}
