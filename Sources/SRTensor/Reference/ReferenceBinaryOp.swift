extension Reference {
    /// Element-wise `a op b` with broadcasting: `b` may have the same shape, one value per
    /// channel (`c x 1 x 1`), or a single value (ncnn BinaryOp).
    public static func binaryOp(_ a: Tensor, _ b: Tensor, _ op: BinaryOpKind) -> Tensor {
        var out = a
        for n in 0..<a.n {
            for ch in 0..<a.c {
                for y in 0..<a.h {
                    for x in 0..<a.w {
                        let bv: Float
                        if b.sameShape(as: a) { bv = b[n, ch, y, x] }
                        else if b.count == 1 { bv = b.data[0] }
                        else if b.count == a.c { bv = b.data[ch] }
                        else { preconditionFailure("binaryOp cannot broadcast \(b.shapeDescription) to \(a.shapeDescription)") }
                        out[n, ch, y, x] = op.apply(a[n, ch, y, x], bv)
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
}
