import SRKernels
import SRTensor
import XCTest

/// The execution context: split GEMMs equal unsplit ones, and kernels honour its settings.
final class ExecutionContextTests: XCTestCase {
    /// Every transpose combination, a C wider than its block (ldc > n), split three ways.
    func testSplitGEMMEqualsOneCall() {
        var rng = SplitMix64(seed: 7)
        let m = 24, n = 1000, k = 200, ldc = n + 5
        let split = ExecutionContext(threads: 3, blasThreads: 3)
        XCTAssertGreaterThan(m * n * k, 1 << 22, "large enough to be split")
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = rng.floats(m * k), b = rng.floats(k * n)
            let c0 = rng.floats(m * ldc)
            var one = c0, three = c0
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    let (pa, pb) = (ap.baseAddress!, bp.baseAddress!)
                    one.withUnsafeMutableBufferPointer {
                        ExecutionContext.serial.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, pa, lda: ta ? m : k,
                                                      pb, ldb: tb ? k : n, beta: 0.25, $0.baseAddress!, ldc: ldc)
                    }
                    three.withUnsafeMutableBufferPointer {
                        split.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, pa, lda: ta ? m : k,
                                    pb, ldb: tb ? k : n, beta: 0.25, $0.baseAddress!, ldc: ldc)
                    }
                }
            }
            let worst = zip(one, three).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-4, "transA \(ta) transB \(tb)")
            XCTAssertEqual(Array(one[n..<ldc]), Array(c0[n..<ldc]), "columns past n are not touched")
            XCTAssertNotEqual(one, c0)
        }
    }

    /// A convolution with split GEMMs and Winograd workers gives the serial result.
    func testConvolutionWithThreadsEqualsSerial() {
        var rng = SplitMix64(seed: 11)
        let g = ConvGeometry(inChannels: 16, outChannels: 32, kernel: 3, pad: 1)
        let x = rng.tensor(c: 16, h: 70, w: 90), w = rng.floats(g.weightCount), b = rng.floats(32)
        let wide = ExecutionContext(threads: 2, blasThreads: 2)
        let serial = Kernels.convolution(x, weight: w, bias: b, geometry: g, activation: .relu)
        assertClose(Kernels.convolution(x, weight: w, bias: b, geometry: g, activation: .relu, context: wide), serial, "im2col")
        let wt = WinogradWeights(weight: w, outChannels: 32, inChannels: 16)
        let one = Kernels.winogradConvolution(x, weights: wt, bias: b, geometry: g, activation: .relu)
        XCTAssertEqual(Kernels.winogradConvolution(x, weights: wt, bias: b, geometry: g, activation: .relu, context: wide), one,
                       "Winograd blocks are independent: any worker count gives the same bits")
    }

    func testCountsBelowOneMeanOne() {
        let c = ExecutionContext(threads: 0, blasThreads: -2)
        XCTAssertEqual(c.threads, 1)
        XCTAssertEqual(c.blasThreads, 1)
        XCTAssertEqual(ExecutionContext.serial.with(threads: 4, blasThreads: 2).threads, 4)
        XCTAssertTrue(ExecutionContext.serial.winograd)
        XCTAssertEqual(ExecutionContext.serial.isa, KernelISA.best)
    }
}
