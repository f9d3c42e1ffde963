import Foundation
import SRTensor

/// Full-reference image quality: PSNR and SSIM, as scikit-image computes them (tested against it).
public enum ImageMetrics {
    /// The planes a metric runs on: RGB in 0...1 (range 1), or Y in 16...235 (range 255).
    public struct Planes: Sendable {
        /// One array per channel, `width * height` values each.
        public var channels: [[Double]]
        public var width: Int, height: Int
        /// The data range (peak-to-peak) of the values.
        public var range: Double
    }

    /// The image's channels (3 x H x W, 0...1), or with `luma` its Y channel on the SR convention
    /// (BT.601 limited range as MATLAB's rgb2ycbcr: Y = 16 + 65.481 R + 128.553 G + 24.966 B),
    /// with `crop` pixels removed from every border.
    public static func planes(_ t: Tensor, luma: Bool, crop: Int) -> Planes {
        let w = max(0, t.w - 2 * crop), h = max(0, t.h - 2 * crop)
        func channel(_ c: Int) -> [Double] {
            var out = [Double](repeating: 0, count: w * h)
            for y in 0..<h { for x in 0..<w { out[y * w + x] = Double(t[c, y + crop, x + crop]) } }
            return out
        }
        let rgb = (0..<min(3, t.c)).map(channel)
        guard luma, rgb.count == 3 else { return Planes(channels: rgb, width: w, height: h, range: 1) }
        var y = [Double](repeating: 16, count: w * h)
        for i in y.indices {
            let r: Double = 65.481 * rgb[0][i], g: Double = 128.553 * rgb[1][i], b: Double = 24.966 * rgb[2][i]
            y[i] += r + g + b
        }
        return Planes(channels: [y], width: w, height: h, range: 255)
    }

    /// Peak signal-to-noise ratio in dB over every value (infinity for identical inputs).
    public static func psnr(_ a: Planes, _ b: Planes) -> Double {
        var sum = 0.0, n = 0
        for (p, q) in zip(a.channels, b.channels) {
            for i in p.indices { let d = p[i] - q[i]; sum += d * d }
            n += p.count
        }
        guard n > 0, sum > 0 else { return .infinity }
        return 10 * log10(a.range * a.range / (sum / Double(n)))
    }

    /// Mean structural similarity (Wang et al. 2004): 11x11 gaussian window with sigma 1.5,
    /// K1 0.01, K2 0.03, population covariances, averaged over the pixels whose window lies inside
    /// the image and then over channels.
    public static func ssim(_ a: Planes, _ b: Planes) -> Double {
        let w = a.width, h = a.height, r = 5
        guard w > 2 * r, h > 2 * r else { return .nan }
        let kernel: [Double] = {
            let k = (-r...r).map { exp(-0.5 * Double($0 * $0) / (1.5 * 1.5)) }
            let s = k.reduce(0, +)
            return k.map { $0 / s }
        }()
        // Gaussian-weighted local mean at every interior pixel (separable).
        func blur(_ x: [Double]) -> [Double] {
            var rows = [Double](repeating: 0, count: w * h)
            for y in 0..<h {
                for xx in r..<(w - r) {
                    var s = 0.0
                    for k in 0...(2 * r) { s += kernel[k] * x[y * w + xx + k - r] }
                    rows[y * w + xx] = s
                }
            }
            var out = [Double](repeating: 0, count: w * h)
            for y in r..<(h - r) {
                for xx in r..<(w - r) {
                    var s = 0.0
                    for k in 0...(2 * r) { s += kernel[k] * rows[(y + k - r) * w + xx] }
                    out[y * w + xx] = s
                }
            }
            return out
        }
        let c1 = pow(0.01 * a.range, 2), c2 = pow(0.03 * a.range, 2)
        var total = 0.0
        for (x, y) in zip(a.channels, b.channels) {
            let ux = blur(x), uy = blur(y)
            let uxx = blur(x.indices.map { x[$0] * x[$0] }), uyy = blur(y.indices.map { y[$0] * y[$0] })
            let uxy = blur(x.indices.map { x[$0] * y[$0] })
            var sum = 0.0
            for yy in r..<(h - r) {
                for xx in r..<(w - r) {
                    let i = yy * w + xx
                    let vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i]
                    sum += ((2 * ux[i] * uy[i] + c1) * (2 * vxy + c2)) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2))
                }
            }
            total += sum / Double((w - 2 * r) * (h - 2 * r))
        }
        return total / Double(max(1, a.channels.count))
    }

    /// PSNR-Y of `sr` (quantized to 8 bits) against `hr`, `scale` pixels cropped from each border:
    /// the SR papers' convention.
    public static func psnrY(_ sr: Tensor, _ hr: Tensor, scale: Int) -> Double {
        psnr(planes(quantized(sr), luma: true, crop: scale), planes(hr, luma: true, crop: scale))
    }

    /// Clamped to 0...1 and rounded to 8-bit levels, as a saved PNG would be.
    public static func quantized(_ t: Tensor) -> Tensor { t.map { (min(max($0, 0), 1) * 255).rounded() / 255 } }
}
