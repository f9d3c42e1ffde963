extension Reference {
    /// Applies an activation to every element (ncnn ReLU, PReLU, Sigmoid, Clip layers).
    public static func activation(_ x: Tensor, _ act: Activation) -> Tensor {
        var out = x
        for b in 0..<x.n {
            for ch in 0..<x.c {
                for y in 0..<x.h {
                    for xx in 0..<x.w { out[b, ch, y, xx] = act.apply(x[b, ch, y, xx], channel: ch) }
                }
            }
        }
        return out
    }
}
