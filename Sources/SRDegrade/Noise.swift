import Foundation
import SRAutograd
import SRTensor

/// Sensor noise on an image in 0...1: additive gaussian and signal-dependent poisson (shot)
/// noise, in colour (per channel) or gray (one draw for all channels of a pixel).
public enum Noise {
    /// Adds gaussian noise of standard deviation `sigma` (in 8-bit levels, 0...255), clamped to 0...1.
    public static func gaussian(_ t: Tensor, sigma: Float, gray: Bool, rng: inout SeededRandom) -> Tensor {
        let s = sigma / 255
        return perPixel(t, gray: gray, rng: &rng) { _, rng in s * rng.normal() }
    }

    /// Adds poisson noise: each value becomes `Poisson(v * 255) / 255`, the change scaled by `scale`
    /// (1: the shot noise of an 8-bit photon count), clamped to 0...1.
    public static func poisson(_ t: Tensor, scale: Float, gray: Bool, rng: inout SeededRandom) -> Tensor {
        perPixel(t, gray: gray, rng: &rng) { v, rng in
            let lambda = Double(max(v, 0)) * 255
            return scale * (Float(sample(lambda: lambda, rng: &rng)) / 255 - max(v, 0))
        }
    }

    /// One poisson draw: Knuth's product method below 30, the normal approximation above.
    static func sample(lambda: Double, rng: inout SeededRandom) -> Double {
        guard lambda > 0 else { return 0 }
        if lambda >= 30 { return max(0, (lambda + lambda.squareRoot() * Double(rng.normal())).rounded()) }
        let limit = exp(-lambda)
        var k = 0.0, p = 1.0
        repeat { k += 1; p *= Double(rng.unit()) } while p > limit && k < 200
        return k - 1
    }

    /// `t` plus `delta(value, rng)` per value (gray: the first channel's delta for all channels).
    private static func perPixel(_ t: Tensor, gray: Bool, rng: inout SeededRandom,
                                 _ delta: (Float, inout SeededRandom) -> Float) -> Tensor {
        var out = t
        let plane = t.h * t.w
        for n in 0..<t.n {
            let base = n * t.c * plane
            for i in 0..<plane {
                var shared: Float = 0
                for c in 0..<t.c {
                    let j = base + c * plane + i
                    let d: Float
                    if gray && c > 0 { d = shared } else {
                        // Gray noise follows the pixel's luma so poisson noise keeps its signal dependence.
                        let v = gray ? t.data[base + i] * 0.299 + (t.c > 2 ? t.data[base + plane + i] * 0.587 + t.data[base + 2 * plane + i] * 0.114 : 0)
                                     : t.data[j]
                        d = delta(gray && t.c > 2 ? v : t.data[j], &rng)
                        shared = d
                    }
                    out.data[j] = min(max(t.data[j] + d, 0), 1)
                }
            }
        }
        return out
    }
}
