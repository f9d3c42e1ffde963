import Foundation
import SRTensor

/// A normalized 2-D blur kernel (odd side) and its application to an image: the blur half of
/// Real-ESRGAN's degradation model (isotropic and anisotropic gaussians, generalized gaussians,
/// and the 2-D sinc that makes ringing).
public struct BlurKernel: Sendable, Equatable {
    /// Side in pixels (odd).
    public let size: Int
    /// Row-major weights, summing to 1.
    public let weights: [Float]

    /// A kernel from raw values (normalized here; a zero sum gives the identity).
    init(size: Int, values: [Double]) {
        let sum = values.reduce(0, +)
        self.size = size
        if sum.isFinite, abs(sum) > 1e-12 {
            weights = values.map { Float($0 / sum) }
        } else {
            var id = [Float](repeating: 0, count: size * size)
            id[size * size / 2] = 1
            weights = id
        }
    }

    /// A (generalized) gaussian: `exp(-0.5 * q^beta)` with `q` the squared Mahalanobis distance for
    /// standard deviations `sigmaX`, `sigmaY` rotated by `theta` radians; `beta` 1 is the gaussian,
    /// below 1 heavier tails, above 1 a plateau.
    public static func gaussian(size: Int, sigmaX: Double, sigmaY: Double, theta: Double = 0, beta: Double = 1) -> BlurKernel {
        let c = cos(theta), s = sin(theta)
        let a = 1 / max(sigmaX * sigmaX, 1e-6), b = 1 / max(sigmaY * sigmaY, 1e-6)
        let r = size / 2
        var v = [Double](repeating: 0, count: size * size)
        for y in -r...r { for x in -r...r {
            let u = c * Double(x) + s * Double(y), w = -s * Double(x) + c * Double(y)
            let q = a * u * u + b * w * w
            v[(y + r) * size + x + r] = exp(-0.5 * pow(q, beta))
        } }
        return BlurKernel(size: size, values: v)
    }

    /// The circular low-pass (2-D sinc) with cutoff `omega` radians per pixel (below pi rings).
    public static func sinc(size: Int, cutoff omega: Double) -> BlurKernel {
        let r = size / 2
        var v = [Double](repeating: 0, count: size * size)
        for y in -r...r { for x in -r...r {
            let d = (Double(x * x + y * y)).squareRoot()
            v[(y + r) * size + x + r] = d == 0 ? omega * omega / (4 * .pi) : omega * j1(omega * d) / (2 * .pi * d)
        } }
        return BlurKernel(size: size, values: v)
    }

    /// The image (`1 x C x H x W`) filtered with the kernel, edges mirrored (reflect-101).
    public func apply(_ t: Tensor) -> Tensor {
        let r = size / 2, h = t.h, w = t.w
        var out = Tensor(n: t.n, c: t.c, h: h, w: w)
        func mirror(_ i: Int, _ n: Int) -> Int {
            guard n > 1 else { return 0 }
            var i = i
            while i < 0 || i >= n { i = i < 0 ? -i : 2 * (n - 1) - i }
            return i
        }
        let cols = (0..<(w + 2 * r)).map { mirror($0 - r, w) }, rows = (0..<(h + 2 * r)).map { mirror($0 - r, h) }
        t.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                weights.withUnsafeBufferPointer { k in
                    var padded = [Float](repeating: 0, count: (w + 2 * r) * (h + 2 * r))
                    let pw = w + 2 * r
                    for plane in 0..<(t.n * t.c) {
                        let base = plane * h * w
                        for y in 0..<(h + 2 * r) { for x in 0..<pw { padded[y * pw + x] = src[base + rows[y] * w + cols[x]] } }
                        padded.withUnsafeBufferPointer { p in
                            for y in 0..<h {
                                let row = base + y * w
                                for x in 0..<w { dst[row + x] = 0 }
                                for ky in 0..<size {
                                    let prow = (y + ky) * pw
                                    for kx in 0..<size {
                                        let wt = k[ky * size + kx]
                                        if wt == 0 { continue }
                                        let start = prow + kx
                                        for x in 0..<w { dst[row + x] += wt * p[start + x] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
