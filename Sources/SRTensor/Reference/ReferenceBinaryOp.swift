extension Reference {
    /// Element-wise `a op b` with NCHW broadcasting (ncnn BinaryOp).
    ///
    /// Each axis of `a` and `b` must be equal or 1 in one of them; the result takes the larger size
    /// on every axis, so either operand may be the broadcast one (ncnn's "special types": one value
    /// per channel `c x 1 x 1`, one plane `1 x h x w`, per-row `c x h x 1`, per-column `c x 1 x w`,
    /// and their mirror images). A single-element `b` (ncnn's 1-D `w = 1` blob) is a scalar.
    public static func binaryOp(_ a: Tensor, _ b: Tensor, _ op: BinaryOpKind) -> Tensor {
        let shape = broadcastShape(a, b)
        var out = Tensor(n: shape[0], c: shape[1], h: shape[2], w: shape[3])
        for n in 0..<out.n {
            for ch in 0..<out.c {
                for y in 0..<out.h {
                    for x in 0..<out.w {
                        let av = a[a.n == 1 ? 0 : n, a.c == 1 ? 0 : ch, a.h == 1 ? 0 : y, a.w == 1 ? 0 : x]
                        let bv = b[b.n == 1 ? 0 : n, b.c == 1 ? 0 : ch, b.h == 1 ? 0 : y, b.w == 1 ? 0 : x]
                        out[n, ch, y, x] = op.apply(av, bv)
                    }
                }
            }
        }
        return out
    }

    /// Element-wise `a op scalar` (ncnn BinaryOp with `with_scalar`).
    public static func binaryOp(_ a: Tensor, scalar: Float, _ op: BinaryOpKind) -> Tensor {
        var out = a
        for i in 0..<a.count { out.data[i] = op.apply(a.data[i], scalar) }
        return out
    }

    /// Result shape `[n, c, h, w]` of broadcasting `a` against `b` (see `binaryOp`).
    public static func broadcastShape(_ a: Tensor, _ b: Tensor) -> [Int] {
        zip(a.shape, b.shape).map { pair -> Int in
            let (x, y) = pair
            precondition(x == y || x == 1 || y == 1,
                         "binaryOp cannot broadcast \(b.shapeDescription) with \(a.shapeDescription)")
            return x == 1 ? y : x
        }
    }
}
