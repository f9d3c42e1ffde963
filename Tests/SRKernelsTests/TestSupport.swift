import SRTensor
import XCTest

/// Deterministic 64-bit generator (SplitMix64) so every test run sees the same shapes and values.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform float in [lo, hi).
    mutating func float(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }

    /// Uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// `count` uniform floats in [lo, hi).
    mutating func floats(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        (0..<count).map { _ in float(lo, hi) }
    }

    /// A tensor of uniform values in [-1, 1).
    mutating func tensor(n: Int = 1, c: Int, h: Int, w: Int) -> Tensor {
        Tensor(n: n, c: c, h: h, w: w, data: floats(n * c * h * w))
    }
}

/// Asserts equal shapes and max |a - b| <= 1e-4 * max(1, max |expected|).
func assertClose(_ actual: Tensor, _ expected: Tensor, _ message: @autoclosure () -> String = "",
                 tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    guard actual.sameShape(as: expected) else {
        XCTFail("shape \(actual.shapeDescription) != \(expected.shapeDescription) \(message())", file: file, line: line)
        return
    }
    let scale = max(1, expected.data.reduce(Float(0)) { max($0, abs($1)) })
    let err = actual.maxAbsDifference(expected)
    XCTAssertLessThanOrEqual(err, tolerance * scale, "max error \(err) \(message())", file: file, line: line)
}

/// A random activation (all kinds), with per-channel PReLU slopes for `channels`.
func randomActivation(_ rng: inout SplitMix64, channels: Int) -> Activation {
    switch rng.int(0...6) {
    case 0: return .none
    case 1: return .relu
    case 2: return .leakyReLU(0.1)
    case 3: return .prelu(rng.floats(channels, 0, 0.5))
    case 4: return .prelu([0.25])
    case 5: return .clip(-0.5, 0.7)
    default: return .sigmoid
    }
}
