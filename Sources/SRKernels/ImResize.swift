import Foundation
import SRTensor

extension Kernels {
    /// MATLAB-compatible `imresize(x, [outH outW], 'bicubic')`: Keys cubic with a = -0.5,
    /// half-pixel centres, symmetric (mirror) edge handling, and antialiasing when shrinking (the
    /// kernel is widened by 1/scale). This is the SR literature's bicubic: it makes LR images from
    /// HR ones for training and evaluation, and it is the baseline row of `upscale eval`.
    ///
    /// `kernel` picks MATLAB's other kernels (box = area, triangle = bilinear, lanczos3), with the
    /// same centres, edges and antialiasing.
    ///
    /// Reentrant; allocates its output and one intermediate plane per call.
    public static func imresize(_ x: Tensor, outH: Int, outW: Int, kernel: ResizeKernel = .cubic) -> Tensor {
        precondition(outH > 0 && outW > 0 && x.h > 0 && x.w > 0, "imresize to an empty size")
        let ty = ResizeWeights(from: x.h, to: outH, kernel: kernel), tx = ResizeWeights(from: x.w, to: outW, kernel: kernel)
        var out = Tensor(n: x.n, c: x.c, h: outH, w: outW)
        var tmp = [Float](repeating: 0, count: x.h * outW)
        x.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                tmp.withUnsafeMutableBufferPointer { t in
                    for plane in 0..<(x.n * x.c) {
                        let s = plane * x.h * x.w, d = plane * outH * outW
                        for y in 0..<x.h {
                            for o in 0..<outW {
                                var acc: Float = 0
                                for k in 0..<tx.taps { acc += tx.weight[o * tx.taps + k] * src[s + y * x.w + tx.index[o * tx.taps + k]] }
                                t[y * outW + o] = acc
                            }
                        }
                        for o in 0..<outH {
                            let row = d + o * outW
                            for xx in 0..<outW { dst[row + xx] = 0 }
                            for k in 0..<ty.taps {
                                let wt = ty.weight[o * ty.taps + k], r = ty.index[o * ty.taps + k] * outW
                                for xx in 0..<outW { dst[row + xx] += wt * t[r + xx] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `imresize` by a factor (output side `ceil(side * scale)`, as MATLAB).
    public static func imresize(_ x: Tensor, scale: Double) -> Tensor {
        imresize(x, outH: Int((Double(x.h) * scale).rounded(.up)), outW: Int((Double(x.w) * scale).rounded(.up)))
    }
}

/// An interpolation kernel of `imresize` (MATLAB's names and support widths).
public enum ResizeKernel: String, Sendable, CaseIterable {
    /// Keys' cubic, a = -0.5 (width 4): the default.
    case cubic
    /// Box (width 1): area averaging when shrinking, nearest when enlarging.
    case box
    /// Triangle (width 2): bilinear.
    case triangle
    /// Lanczos with 3 lobes (width 6).
    case lanczos3

    /// The kernel's support width in input pixels at scale 1.
    var width: Double {
        switch self {
        case .cubic: return 4
        case .box: return 1
        case .triangle: return 2
        case .lanczos3: return 6
        }
    }

    /// The kernel at distance `x`.
    func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .cubic: return ResizeWeights.cubic(x)
        case .box: return (-0.5 <= x && x < 0.5) ? 1 : 0
        case .triangle: return max(0, 1 - abs(x))
        case .lanczos3:
            guard abs(x) < 3 else { return 0 }
            guard x != 0 else { return 1 }
            let px = Double.pi * x
            return 3 * sin(px) * sin(px / 3) / (px * px)
        }
    }
}

/// MATLAB's `contributions`: for each output index, `taps` input indices and normalized weights.
struct ResizeWeights {
    let taps: Int
    let index: [Int], weight: [Float]

    init(from n: Int, to m: Int, kernel: ResizeKernel = .cubic) {
        let scale = Double(m) / Double(n)
        let shrink = scale < 1
        let width = shrink ? kernel.width / scale : kernel.width
        let p = Int(width.rounded(.up)) + 2
        var idx = [Int](repeating: 0, count: m * p), wts = [Float](repeating: 0, count: m * p)
        for o in 0..<m {
            let u = Double(o + 1) / scale + 0.5 * (1 - 1 / scale)
            let left = Int((u - width / 2).rounded(.down))
            var ws = [Double](repeating: 0, count: p), sum = 0.0
            for k in 0..<p {
                let dist = u - Double(left + k)
                let v = shrink ? scale * kernel(scale * dist) : kernel(dist)
                ws[k] = v; sum += v
            }
            for k in 0..<p {
                // 1-based index left + k, mirrored into 1...n, then 0-based.
                var i = left + k - 1
                let period = 2 * n
                i = ((i % period) + period) % period
                if i >= n { i = period - 1 - i }
                idx[o * p + k] = i
                wts[o * p + k] = Float(sum != 0 ? ws[k] / sum : 0)
            }
        }
        taps = p; index = idx; weight = wts
    }

    /// Keys' cubic with a = -0.5 (MATLAB's).
    static func cubic(_ x: Double) -> Double {
        let a = abs(x), a2 = a * a, a3 = a2 * a
        if a <= 1 { return 1.5 * a3 - 2.5 * a2 + 1 }
        if a <= 2 { return -0.5 * a3 + 2.5 * a2 - 4 * a + 2 }
        return 0
    }
}
