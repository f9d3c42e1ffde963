import Foundation
import SRTensor

/// Per-pixel group normalization (the tile-exact form of GroupNorm used by `sr3_unet`).
extension Variable {
    /// At every pixel, the channels of each of `groups` groups normalised to mean 0 and variance 1
    /// over that group's channels (not over space, so a tile sees what the whole frame sees), then
    /// `γ[c] x̂ + β[c]` (`gamma`, `beta`: `C` values each).
    public func pixelGroupNorm(groups: Int, gamma: Variable, beta: Variable, epsilon: Float = 1e-5) -> Variable {
        let x = value, c = x.c, plane = x.h * x.w
        precondition(groups > 0 && c % groups == 0, "pixelGroupNorm: \(c) channels in \(groups) groups")
        precondition(gamma.value.count == c && beta.value.count == c, "pixelGroupNorm: \(c) channels")
        let per = c / groups, gm = gamma.value.data, bt = beta.value.data
        var xhat = x, y = x
        var invStd = [Float](repeating: 0, count: x.n * groups * plane)
        for b in 0..<x.n {
            for g in 0..<groups {
                let first = (b * c + g * per) * plane, sIndex = (b * groups + g) * plane
                for j in 0..<plane {
                    var s: Float = 0, s2: Float = 0
                    for k in 0..<per { let v = x.data[first + k * plane + j]; s += v; s2 += v * v }
                    let mean = s / Float(per), variance = max(s2 / Float(per) - mean * mean, 0)
                    let inv = 1 / (variance + epsilon).squareRoot()
                    invStd[sIndex + j] = inv
                    for k in 0..<per {
                        let i = first + k * plane + j, ch = g * per + k
                        xhat.data[i] = (x.data[i] - mean) * inv
                        y.data[i] = xhat.data[i] * gm[ch] + bt[ch]
                    }
                }
            }
        }
        return Variable(y, op: "pixel_group_norm", parents: [self, gamma, beta]) { grad in
            var dx = grad, dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
            for b in 0..<x.n {
                for g in 0..<groups {
                    let first = (b * c + g * per) * plane, sIndex = (b * groups + g) * plane
                    for j in 0..<plane {
                        // dx = inv/n * (n dxhat - Σ dxhat - xhat Σ dxhat·xhat), dxhat = grad γ.
                        var sum: Float = 0, dot: Float = 0
                        for k in 0..<per {
                            let i = first + k * plane + j, ch = g * per + k, d = grad.data[i] * gm[ch]
                            sum += d; dot += d * xhat.data[i]
                            dgamma[ch] += grad.data[i] * xhat.data[i]; dbeta[ch] += grad.data[i]
                        }
                        let inv = invStd[sIndex + j], n = Float(per)
                        for k in 0..<per {
                            let i = first + k * plane + j, d = grad.data[i] * gm[g * per + k]
                            dx.data[i] = inv / n * (n * d - sum - xhat.data[i] * dot)
                        }
                    }
                }
            }
            return [dx, Tensor(c: c, h: 1, w: 1, data: dgamma), Tensor(c: c, h: 1, w: 1, data: dbeta)]
        }
    }
}
