import CKernels
@testable import SRKernels
import SRTensor
import XCTest

/// The C element-wise kernels in every variant against plain Swift, and the CPU/BLAS plumbing.
final class KernelISATests: XCTestCase {
    func testBiasActivationAndAddInEveryVariant() {
        var rng = SplitMix64(seed: 41)
        let acts: [(ck_act, Float, Float, Float)] = [
            (CK_ACT_NONE, 0, 0, 0), (CK_ACT_RELU, 0, 0, 0), (CK_ACT_SLOPE, 0.2, 0, 0), (CK_ACT_CLIP, 0, -0.3, 0.5), (CK_ACT_SIGMOID, 0, 0, 0),
        ]
        for isa in KernelISA.supported {
            for count in [0, 1, 7, 8, 15, 16, 17, 33, 100] {
                let x = rng.floats(count), y = rng.floats(count), bias = rng.float()
                for (act, slope, lo, hi) in acts {
                    var p = x
                    p.withUnsafeMutableBufferPointer { ck_bias_act($0.baseAddress, count, bias, act, slope, lo, hi, isa.cValue) }
                    for i in 0..<count {
                        let v = x[i] + bias
                        let want: Float
                        switch act {
                        case CK_ACT_RELU: want = max(v, 0)
                        case CK_ACT_SLOPE: want = v > 0 ? v : v * slope
                        case CK_ACT_CLIP: want = min(max(v, lo), hi)
                        case CK_ACT_SIGMOID: want = 1 / (1 + expf(-v))
                        default: want = v
                        }
                        XCTAssertEqual(p[i], want, accuracy: 1e-6, "\(isa) act \(act.rawValue) count \(count) [\(i)]")
                    }
                }
                var sum = [Float](repeating: .nan, count: count)
                sum.withUnsafeMutableBufferPointer { ck_add($0.baseAddress, x, y, count, isa.cValue) }
                XCTAssertEqual(sum, zip(x, y).map { $0 + $1 }, "\(isa) add count \(count)")
            }
        }
    }

    func testCPUInfoAgreesWithTheKernelChoice() {
        let cpu = CPUInfo.current
        XCTAssertFalse(cpu.vendor.isEmpty)
        XCTAssertGreaterThan(cpu.logicalCPUs, 0)
        XCTAssertTrue(KernelISA.best.isSupported)
        if cpu.has("avx512f") && cpu.has("avx512bw") && cpu.has("avx512dq") && cpu.has("avx512vl") {
            XCTAssertEqual(KernelISA.best, .avx512)
        } else if cpu.has("avx2") && cpu.has("fma") {
            XCTAssertEqual(KernelISA.best, .avx2)
            XCTAssertTrue(KernelISA.avx2Wide.isSupported)
        }
    }

    func testRecommendedCoreForEachKindOfCPU() {
        let avx512 = ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512bf16"]
        XCTAssertEqual(BLASCore.recommended(core: "Prescott", features: avx512, vendor: "GenuineIntel"), "SkylakeX")
        XCTAssertEqual(BLASCore.recommended(core: "Prescott", features: ["avx", "avx2", "fma"], vendor: "GenuineIntel"), "Haswell")
        XCTAssertEqual(BLASCore.recommended(core: "Nehalem", features: ["avx", "avx2", "fma"], vendor: "AuthenticAMD"), "Zen")
        XCTAssertEqual(BLASCore.recommended(core: "Sandybridge", features: avx512, vendor: "AuthenticAMD"), "SkylakeX")
        XCTAssertNil(BLASCore.recommended(core: "Haswell", features: avx512, vendor: "GenuineIntel"), "a real choice is kept")
        XCTAssertNil(BLASCore.recommended(core: "Zen", features: ["avx2", "fma"], vendor: "AuthenticAMD"))
        XCTAssertNil(BLASCore.recommended(core: "Prescott", features: ["avx"], vendor: "GenuineIntel"), "nothing better runs there")
    }

    /// The selection really switches OpenBLAS's kernels at run time, and gives the same products:
    /// force the generic Prescott kernels (as on a CPU OpenBLAS does not know), select, compare.
    func testSelectionReplacesAFallbackCoreWithTheSameResults() throws {
        let cpu = CPUInfo.current
        try XCTSkipUnless(cpu.has("avx2") && cpu.has("fma"), "no AVX2: no better OpenBLAS kernels to select")
        BLASCore.prepare()  // the start-up selection first: run alone, the first product would make it
        let original = BLASCore.current
        defer { BLASCore.use(original) }
        var rng = SplitMix64(seed: 42)
        let (m, n, k) = (67, 45, 129)
        let a = rng.floats(m * k), b = rng.floats(k * n)
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            cblasProduct(a, b, &c, m, n, k)
            return c
        }
        XCTAssertTrue(BLASCore.use("Prescott"), "OpenBLAS here cannot switch cores at run time (not DYNAMIC_ARCH?)")
        XCTAssertEqual(BLASCore.current.lowercased(), "prescott")
        let slow = product()
        let sel = BLASCore.select(environment: nil)
        XCTAssertEqual(sel.origin, .selected)
        XCTAssertEqual(sel.openblasChoice.lowercased(), "prescott")
        XCTAssertFalse(BLASCore.isFallback(BLASCore.current), "still on \(BLASCore.current)")
        XCTAssertEqual(BLASCore.current, sel.core)
        let fast = product()
        for i in 0..<(m * n) { XCTAssertEqual(fast[i], slow[i], accuracy: 1e-4 * max(1, abs(slow[i]))) }
        // A user's OPENBLAS_CORETYPE always wins: nothing is switched.
        BLASCore.use("Prescott")
        XCTAssertEqual(BLASCore.select(environment: "Prescott").origin, .environment)
        XCTAssertEqual(BLASCore.current.lowercased(), "prescott")
    }

    func testTheStartUpSelectionIsNoFallbackOnAVX2Machines() {
        let sel = BLASCore.selectBest()
        let cpu = CPUInfo.current
        if cpu.has("avx2") && cpu.has("fma") && sel.origin != .environment {
            XCTAssertFalse(BLASCore.isFallback(sel.core), "OpenBLAS runs its generic \(sel.core) kernels on a CPU with AVX2")
        }
        XCTAssertTrue(BLASCore.configuration.contains("OpenBLAS"))
    }
}
