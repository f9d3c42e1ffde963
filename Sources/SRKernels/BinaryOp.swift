import CKernels
import SRTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Kernels {
    /// Element-wise `a op b` with NCHW broadcasting (ncnn BinaryOp), as `Reference.binaryOp`.
    ///
    /// Same-shaped operands and a scalar `b` run as one flat loop; everything else runs row by row
    /// with a broadcast row, a broadcast value, or whole planes per channel value.
    public static func binaryOp(_ a: Tensor, _ b: Tensor, _ op: BinaryOpKind) -> Tensor {
        let shape = Reference.broadcastShape(a, b)
        var out = Tensor.pooled(n: shape[0], c: shape[1], h: shape[2], w: shape[3])
        let total = out.count, dims = (n: out.n, c: out.c, h: out.h, w: out.w)
        if total == 0 { return out }
        a.data.withUnsafeBufferPointer { ab in
            b.data.withUnsafeBufferPointer { bb in
                out.data.withUnsafeMutableBufferPointer { ob in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let op0 = ob.baseAddress else { return }
                    if a.sameShape(as: b) {
                        BinaryLoop.run(op, ap, 1, bp, 1, op0, total)
                    } else if b.count == 1 && a.count == total {
                        BinaryLoop.run(op, ap, 1, bp, 0, op0, total)
                    } else if a.count == 1 && b.count == total {
                        BinaryLoop.run(op, ap, 0, bp, 1, op0, total)
                    } else {
                        broadcast(a, ap, b, bp, op, into: dims, op0)
                    }
                }
            }
        }
        return out
    }

    /// Element-wise `a op scalar` (ncnn BinaryOp with `with_scalar`).
    public static func binaryOp(_ a: Tensor, scalar: Float, _ op: BinaryOpKind) -> Tensor {
        var out = a.pooledCopy()
        if out.count == 0 { return out }
        withUnsafePointer(to: scalar) { sp in
            a.data.withUnsafeBufferPointer { ab in
                out.data.withUnsafeMutableBufferPointer { ob in
                    guard let ap = ab.baseAddress, let op0 = ob.baseAddress else { return }
                    BinaryLoop.run(op, ap, 1, sp, 0, op0, a.count)
                }
            }
        }
        return out
    }

    /// General broadcasting: one call per output plane (when a side is constant per plane) or row.
    private static func broadcast(_ a: Tensor, _ ap: UnsafePointer<Float>, _ b: Tensor, _ bp: UnsafePointer<Float>,
                                  _ op: BinaryOpKind, into out: (n: Int, c: Int, h: Int, w: Int),
                                  _ o: UnsafeMutablePointer<Float>) {
        func offset(_ t: Tensor, _ n: Int, _ c: Int, _ y: Int) -> Int {
            t.index(t.n == 1 ? 0 : n, t.c == 1 ? 0 : c, t.h == 1 ? 0 : y, 0)
        }
        let plane = out.h * out.w
        let aPlane = a.h == out.h && a.w == out.w, bPlane = b.h == out.h && b.w == out.w
        let aPoint = a.h == 1 && a.w == 1, bPoint = b.h == 1 && b.w == 1
        for n in 0..<out.n {
            for c in 0..<out.c {
                let dst = o + (n * out.c + c) * plane
                if (aPlane || aPoint) && (bPlane || bPoint) {
                    BinaryLoop.run(op, ap + offset(a, n, c, 0), aPlane ? 1 : 0, bp + offset(b, n, c, 0), bPlane ? 1 : 0,
                                   dst, plane)
                    continue
                }
                for y in 0..<out.h {
                    BinaryLoop.run(op, ap + offset(a, n, c, y), a.w == 1 ? 0 : 1, bp + offset(b, n, c, y), b.w == 1 ? 0 : 1,
                                   dst + y * out.w, out.w)
                }
            }
        }
    }
}

/// Tight loops of one binary operation over runs with unit or zero (broadcast) steps.
enum BinaryLoop {
    /// `o[i] = a[i*sa] op b[i*sb]` for `i < count`; `sa`, `sb` are 0 or 1.
    static func run(_ op: BinaryOpKind, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int,
                    _ o: UnsafeMutablePointer<Float>, _ count: Int) {
        switch op {
        case .add where sa == 1 && sb == 1: ck_add(o, a, b, count, KernelISA.best.cValue)
        case .add: loop(a, sa, b, sb, o, count) { $0 + $1 }
        case .sub: loop(a, sa, b, sb, o, count) { $0 - $1 }
        case .mul: loop(a, sa, b, sb, o, count) { $0 * $1 }
        case .div: loop(a, sa, b, sb, o, count) { $0 / $1 }
        case .max: loop(a, sa, b, sb, o, count) { Swift.max($0, $1) }
        case .min: loop(a, sa, b, sb, o, count) { Swift.min($0, $1) }
        case .pow: loop(a, sa, b, sb, o, count) { powf($0, $1) }
        case .rsub: loop(a, sa, b, sb, o, count) { $1 - $0 }
        case .rdiv: loop(a, sa, b, sb, o, count) { $1 / $0 }
        }
    }

    @inline(__always)
    private static func loop(_ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int,
                             _ o: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float, Float) -> Float) {
        if sa == 1 && sb == 1 {
            for i in 0..<count { o[i] = f(a[i], b[i]) }
        } else if sa == 1 {
            let bv = b[0]
            for i in 0..<count { o[i] = f(a[i], bv) }
        } else if sb == 1 {
            let av = a[0]
            for i in 0..<count { o[i] = f(av, b[i]) }
        } else {
            let v = f(a[0], b[0])
            o.update(repeating: v, count: count)
        }
    }
}
