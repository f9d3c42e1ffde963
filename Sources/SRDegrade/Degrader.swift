import Foundation
import SRAutograd
import SRKernels
import SRMedia
import SRTensor

/// Makes a training LR crop from an HR crop with the random model of `DegradationConfig`:
/// [blur, intermediate resize, noise, compression] once, a second time with probability
/// `secondOrder`, then the resize to the LR size and, last, compression (as video is made:
/// scaled, then encoded). The result is rounded to 8-bit levels. Everything is drawn from the
/// caller's generator, so a crop depends only on the seed.
///
/// Threading: a value type; `degrade` is reentrant (each call its own codec instances).
public struct Degrader: Sendable {
    /// The model.
    public let config: DegradationConfig

    /// Creates a degrader for a validated config.
    public init(_ config: DegradationConfig) { self.config = config }

    /// The LR image (`side / scale` on each axis) for `hr`, and the steps it went through
    /// (e.g. `["blur gauss 1.20x0.80", "resize 0.91 lanczos3", "h264:crf=27"]`).
    public func degrade(_ hr: Tensor, scale: Int, rng: inout SeededRandom) -> (lr: Tensor, steps: [String]) {
        let outH = hr.h / scale, outW = hr.w / scale
        let c = config
        var x = hr, steps: [String] = []
        if rng.unit() < c.clean { return (Degrader.quantized(Kernels.imresize(hr, outH: outH, outW: outW)), ["clean"]) }
        let passes = rng.unit() < c.secondOrder ? 2 : 1
        for pass in 0..<passes {
            if rng.unit() < c.blurProbability {
                // Sigmas are in HR pixels; the second pass runs at about LR size, so it blurs less.
                let shrink = pass == 0 ? 1 : Float(max(x.w, 1)) / Float(max(hr.w, 1))
                let (kernel, what) = randomKernel(sigmaScale: max(shrink, 1 / Float(scale)), rng: &rng)
                x = kernel.apply(x); steps.append(what)
            }
            if rng.unit() < c.resizeProbability {
                let f = Float(c.resize.lowerBound) + rng.unit() * Float(c.resize.upperBound - c.resize.lowerBound)
                let h = max(8, Int((Float(outH) * f).rounded())), w = max(8, Int((Float(outW) * f).rounded()))
                let k = ResizeKernel.allCases[rng.below(ResizeKernel.allCases.count)]
                x = Kernels.imresize(x, outH: h, outW: w, kernel: k); steps.append(String(format: "resize %.2f %@", f, k.rawValue))
            }
            if rng.unit() < c.noiseProbability { steps.append(addNoise(&x, rng: &rng)) }
            if pass == 0 && passes == 2 && rng.unit() < c.compressionProbability { steps.append(compress(&x, rng: &rng)) }
        }
        let k = ResizeKernel.allCases[rng.below(ResizeKernel.allCases.count)]
        if x.h != outH || x.w != outW { x = Kernels.imresize(x, outH: outH, outW: outW, kernel: k); steps.append("to LR \(k.rawValue)") }
        if rng.unit() < c.compressionProbability { steps.append(compress(&x, rng: &rng)) }
        return (Degrader.quantized(x), steps)
    }

    /// The image clamped to 0...1 and rounded to 8-bit levels (what a real LR file holds).
    public static func quantized(_ t: Tensor) -> Tensor {
        var x = t
        for i in x.data.indices { x.data[i] = (min(max(x.data[i], 0), 1) * 255).rounded() / 255 }
        return x
    }

    /// A random blur kernel: gaussian (isotropic or rotated anisotropic), generalized gaussian, or sinc.
    func randomKernel(sigmaScale: Float, rng: inout SeededRandom) -> (BlurKernel, String) {
        let c = config
        let sizes = stride(from: c.kernelSize.lowerBound | 1, through: c.kernelSize.upperBound, by: 2).map { $0 }
        let size = sizes.isEmpty ? 7 : sizes[rng.below(sizes.count)]
        func sigma() -> Double {
            Double((c.blurSigma.lowerBound + rng.unit() * (c.blurSigma.upperBound - c.blurSigma.lowerBound)) * sigmaScale)
        }
        let u = rng.unit()
        if u < c.sinc {
            // Cutoff between pi/3 and pi (stronger ringing for smaller kernels, as Real-ESRGAN).
            let omega = Double.pi / 3 + Double(rng.unit()) * (size < 13 ? 2 * Double.pi / 3 : Double.pi / 3)
            return (BlurKernel.sinc(size: size, cutoff: omega), String(format: "sinc %d %.2f", size, omega))
        }
        let sx = sigma()
        let aniso = rng.unit() < c.anisotropic
        let sy = aniso ? sigma() : sx, theta = aniso ? Double(rng.unit()) * .pi : 0
        if u < c.sinc + c.generalized {
            let beta = 0.5 + Double(rng.unit()) * 1.5
            return (BlurKernel.gaussian(size: size, sigmaX: sx, sigmaY: sy, theta: theta, beta: beta),
                    String(format: "blur generalized %.2fx%.2f beta %.2f", sx, sy, beta))
        }
        return (BlurKernel.gaussian(size: size, sigmaX: sx, sigmaY: sy, theta: theta), String(format: "blur gauss %.2fx%.2f", sx, sy))
    }

    /// Gaussian or poisson noise, colour or gray, in place; says which.
    func addNoise(_ x: inout Tensor, rng: inout SeededRandom) -> String {
        let c = config
        let gray = rng.unit() < c.grayNoise
        if rng.unit() < c.poisson {
            let s = c.poissonScale.lowerBound + rng.unit() * (c.poissonScale.upperBound - c.poissonScale.lowerBound)
            x = Noise.poisson(x, scale: s, gray: gray, rng: &rng)
            return String(format: "poisson %.2f%@", s, gray ? " gray" : "")
        }
        let s = c.noiseSigma.lowerBound + rng.unit() * (c.noiseSigma.upperBound - c.noiseSigma.lowerBound)
        x = Noise.gaussian(x, sigma: s, gray: gray, rng: &rng)
        return String(format: "noise %.1f%@", s, gray ? " gray" : "")
    }

    /// One compression round trip, in place (a failed encode leaves the image as it was and says so).
    func compress(_ x: inout Tensor, rng: inout SeededRandom) -> String {
        let c = config
        let total = c.h264Share + c.mpeg2Share + c.jpegShare
        let u = rng.unit() * total
        func pick(_ r: ClosedRange<Int>) -> Int { r.lowerBound + rng.below(r.count) }
        if u >= c.h264Share + c.mpeg2Share {
            let q = pick(c.jpegQ)
            guard let y = try? ImageFile.jpegRoundTrip(x, qscale: q) else { return "jpeg:q=\(q) failed" }
            x = y
            return "jpeg:q=\(q)"
        }
        let codec: CodecRoundTrip.Codec = u < c.h264Share ? .h264(crf: pick(c.h264CRF)) : .mpeg2(q: pick(c.mpeg2Q))
        let n = c.frames, at = rng.below(n)
        // The other pictures are the crop moved by a pixel or two, as in slow motion.
        var pictures: [Tensor] = []
        let dy = rng.below(5) - 2, dx = rng.below(5) - 2
        for i in 0..<n { pictures.append(Degrader.shifted(x, by: (i - at) * dy, (i - at) * dx)) }
        guard let out = try? CodecRoundTrip.run(pictures, codec: codec), out.indices.contains(at) else { return "\(codec) failed" }
        x = out[at]
        return n > 1 ? "\(codec) picture \(at + 1) of \(n)" : "\(codec)"
    }

    /// `t` moved by (`dy`, `dx`) pixels, edges repeated.
    static func shifted(_ t: Tensor, by dy: Int, _ dx: Int) -> Tensor {
        guard dy != 0 || dx != 0 else { return t }
        var out = t
        for p in 0..<(t.n * t.c) {
            let base = p * t.h * t.w
            for y in 0..<t.h {
                let sy = min(max(y - dy, 0), t.h - 1)
                for x in 0..<t.w { out.data[base + y * t.w + x] = t.data[base + sy * t.w + min(max(x - dx, 0), t.w - 1)] }
            }
        }
        return out
    }
}
