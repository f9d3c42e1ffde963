extension Reference {
    /// Concatenates along the channel axis (ncnn Concat, axis 0 of a 3-D blob).
    public static func concatChannels(_ inputs: [Tensor]) -> Tensor {
        precondition(!inputs.isEmpty, "concat needs inputs")
        let f = inputs[0]
        var out = Tensor(n: f.n, c: inputs.reduce(0) { $0 + $1.c }, h: f.h, w: f.w)
        for b in 0..<f.n {
            var base = 0
            for t in inputs {
                precondition(t.h == f.h && t.w == f.w && t.n == f.n, "concat shape mismatch")
                for ch in 0..<t.c {
                    for y in 0..<t.h { for x in 0..<t.w { out[b, base + ch, y, x] = t[b, ch, y, x] } }
                }
                base += t.c
            }
        }
        return out
    }
}
