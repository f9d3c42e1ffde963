import SRTensor

extension Kernels {
    /// Per-pixel group normalization: at every pixel, each group of `c / groups` consecutive
    /// channels normalised to mean 0, variance 1 over those channels, then `γ[c] x̂ + β[c]`.
    /// Statistics never cross pixels, so a tile gets exactly the whole frame's values. The
    /// groups run on `context`'s workers.
    public static func pixelGroupNorm(_ x: Tensor, groups: Int, gamma: [Float], beta: [Float], epsilon: Float = 1e-5,
                                      context: ExecutionContext = .serial) -> Tensor {
        precondition(groups > 0 && x.c % groups == 0 && gamma.count == x.c && beta.count == x.c,
                     "pixelGroupNorm: \(x.c) channels, \(groups) groups, \(gamma.count) scales")
        var out = x.pooledCopy()
        let plane = x.h * x.w, per = x.c / groups, c = x.c
        if out.count == 0 { return out }
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                let src = xp, dst = op
                context.parallel(x.n * groups) { job in
                    let b = job / groups, g = job % groups, first = (b * c + g * per) * plane
                    var mean = [Float](repeating: 0, count: plane), inv = [Float](repeating: 0, count: plane)
                    for k in 0..<per {
                        let row = src + first + k * plane
                        for j in 0..<plane { let v = row[j]; mean[j] += v; inv[j] += v * v }
                    }
                    let n = Float(per)
                    for j in 0..<plane {
                        let m = mean[j] / n
                        mean[j] = m
                        inv[j] = 1 / (max(inv[j] / n - m * m, 0) + epsilon).squareRoot()
                    }
                    for k in 0..<per {
                        let row = src + first + k * plane, o = dst + first + k * plane
                        let s = gamma[g * per + k], t = beta[g * per + k]
                        for j in 0..<plane { o[j] = (row[j] - mean[j]) * inv[j] * s + t }
                    }
                }
            }
        }
        return out
    }
}
