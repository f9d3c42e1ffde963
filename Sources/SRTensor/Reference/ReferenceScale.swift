extension Reference {
    /// Multiplies each channel by `scale[ch]` and adds `bias[ch]` if given (ncnn Scale).
    public static func scale(_ x: Tensor, scale: [Float], bias: [Float] = []) -> Tensor {
        precondition(scale.count == x.c || scale.count == x.n * x.c, "scale needs one value per channel")
        var out = x
        for b in 0..<x.n {
            for ch in 0..<x.c {
                let s = scale.count == x.c ? scale[ch] : scale[b * x.c + ch]
                let bb: Float = bias.isEmpty ? 0 : bias[ch]
                for y in 0..<x.h { for xx in 0..<x.w { out[b, ch, y, xx] = x[b, ch, y, xx] * s + bb } }
            }
        }
        return out
    }
}
