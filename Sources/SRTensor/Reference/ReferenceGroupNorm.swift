import Foundation

extension Reference {
    /// SiLU, x / (1 + e^-x), element by element (ncnn Swish).
    public static func silu(_ x: Tensor) -> Tensor { Tensor(n: x.n, c: x.c, h: x.h, w: x.w, data: x.data.map { $0 / (1 + Foundation.exp(-$0)) }) }

    /// Per-pixel group normalization: each pixel's `groups` channel groups normalised over their
    /// channels (two passes, in Double), then `γ[c] x̂ + β[c]`.
    public static func pixelGroupNorm(_ x: Tensor, groups: Int, gamma: [Float], beta: [Float], epsilon: Float = 1e-5) -> Tensor {
        var out = x
        let per = x.c / groups
        for b in 0..<x.n {
            for g in 0..<groups {
                for y in 0..<x.h {
                    for xx in 0..<x.w {
                        let values = (0..<per).map { Double(x[b, g * per + $0, y, xx]) }
                        let mean = values.reduce(0, +) / Double(per)
                        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(per)
                        for k in 0..<per {
                            let ch = g * per + k, xhat = (values[k] - mean) / (variance + Double(epsilon)).squareRoot()
                            out[b, ch, y, xx] = Float(xhat) * gamma[ch] + beta[ch]
                        }
                    }
                }
            }
        }
        return out
    }
}
