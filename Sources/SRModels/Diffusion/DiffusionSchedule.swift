import Foundation
import SRTensor

/// The diffusion process of the SR3 models: a cosine noise schedule over continuous time
/// t in [0, 1], v-prediction, the timestep embedding and position-seeded noise.
///
/// x_t = a x_0 + σ ε with a = √ᾱ(t), σ = √(1 - ᾱ(t)); the network predicts v = a ε - σ x_0,
/// from which x̂_0 = a x_t - σ v̂ and ε̂ = σ x_t + a v̂ (v stays well scaled at every t, so a
/// few DDIM steps are stable). x_0 is the residual (HR - bicubic) times `residual_scale`.
public enum DiffusionSchedule {
    /// ᾱ(t) = cos²((t + s) / (1 + s) · π/2) / cos²(s / (1 + s) · π/2), s = 0.008 (Nichol & Dhariwal).
    public static func alphaBar(_ t: Float) -> Float {
        let s: Float = 0.008
        func f(_ u: Float) -> Float { let c = Foundation.cos((u + s) / (1 + s) * .pi / 2); return c * c }
        return min(max(f(min(max(t, 0), 1)) / f(0), 0), 1)
    }

    /// (a, σ) = (√ᾱ(t), √(1 - ᾱ(t))).
    public static func coefficients(_ t: Float) -> (a: Float, sigma: Float) {
        let ab = alphaBar(t)
        return (ab.squareRoot(), (1 - ab).squareRoot())
    }

    /// The sinusoidal embedding of 1000·t: `count` values, sin then cos at frequencies
    /// 10000^(-k / (count/2)).
    public static func embedding(_ t: Float, count: Int) -> [Float] {
        let half = count / 2, tau = 1000 * t
        let freqs = (0..<half).map { Foundation.exp(-Foundation.log(10000) * Float($0) / Float(max(half, 1))) }
        return freqs.map { Foundation.sin(tau * $0) } + freqs.map { Foundation.cos(tau * $0) }
    }

    /// Each image's embedding as constant planes: `times.count x count x h x w`.
    public static func embeddingPlanes(_ times: [Float], count: Int, h: Int, w: Int) -> Tensor {
        var out = Tensor(n: times.count, c: count, h: h, w: w)
        let plane = h * w
        for (b, t) in times.enumerated() {
            for (k, v) in embedding(t, count: count).enumerated() {
                let base = (b * count + k) * plane
                for j in 0..<plane { out.data[base + j] = v }
            }
        }
        return out
    }

    /// Standard normal noise that depends only on (`seed`, channel, absolute row, absolute column):
    /// the block of `channels x h x w` whose top-left pixel sits at (`x`, `y`) of the frame. A tile
    /// and the whole frame therefore draw the same value at every output pixel.
    public static func noise(seed: UInt64, channels: Int, x: Int, y: Int, h: Int, w: Int) -> Tensor {
        var out = Tensor(c: channels, h: h, w: w)
        for c in 0..<channels {
            for r in 0..<h {
                for col in 0..<w {
                    out.data[(c * h + r) * w + col] = gaussian(seed: seed, c: c, y: y + r, x: x + col)
                }
            }
        }
        return out
    }

    /// One N(0, 1) value from a hash of the position (SplitMix64, then Box-Muller).
    static func gaussian(seed: UInt64, c: Int, y: Int, x: Int) -> Float {
        var z = seed &+ UInt64(bitPattern: Int64(c)) &* 0x9E37_79B9_7F4A_7C15
        z = mix(z ^ UInt64(bitPattern: Int64(y)) &* 0xBF58_476D_1CE4_E5B9)
        z = mix(z ^ UInt64(bitPattern: Int64(x)) &* 0x94D0_49BB_1331_11EB)
        let u1 = (Double(z >> 11) + 0.5) / Double(1 << 53), u2 = Double(mix(z) >> 11) / Double(1 << 53)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2))
    }

    /// SplitMix64's finaliser.
    static func mix(_ v: UInt64) -> UInt64 {
        var z = v &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
