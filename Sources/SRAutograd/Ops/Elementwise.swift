import Foundation
import SRTensor

/// Element-wise arithmetic of same-shape variables, scalar arithmetic and element-wise functions.
extension Variable {
    /// a + b (same shape).
    public static func + (a: Variable, b: Variable) -> Variable {
        checkSame(a, b, "add")
        var v = a.value; v.addInPlace(b.value)
        return Variable(v, op: "add", parents: [a, b]) { g in [g, g] }
    }

    /// a - b (same shape).
    public static func - (a: Variable, b: Variable) -> Variable {
        checkSame(a, b, "sub")
        var v = a.value; v.addInPlace(b.value, scale: -1)
        return Variable(v, op: "sub", parents: [a, b]) { g in [g, g.map { -$0 }] }
    }

    /// a * b element-wise (same shape).
    public static func * (a: Variable, b: Variable) -> Variable {
        checkSame(a, b, "mul")
        let av = a.value, bv = b.value
        return Variable(av.zipMap(bv, *), op: "mul", parents: [a, b]) { g in
            [g.zipMap(bv, *), g.zipMap(av, *)]
        }
    }

    /// x * s.
    public static func * (x: Variable, s: Float) -> Variable {
        Variable(x.value.map { $0 * s }, op: "scale", parents: [x]) { g in [g.map { $0 * s }] }
    }

    /// x + s.
    public static func + (x: Variable, s: Float) -> Variable {
        Variable(x.value.map { $0 + s }, op: "shift", parents: [x]) { g in [g] }
    }

    /// An element-wise function with its derivative `df(x, y)` (y = f(x)).
    public func unary(_ op: String, _ f: (Float) -> Float, derivative df: @escaping (Float, Float) -> Float) -> Variable {
        let x = value, y = value.map(f)
        return Variable(y, op: op, parents: [self]) { g in
            var out = [Float](repeating: 0, count: g.count)
            g.data.withUnsafeBufferPointer { gp in
                x.data.withUnsafeBufferPointer { xp in
                    y.data.withUnsafeBufferPointer { yp in
                        for i in 0..<out.count { out[i] = gp[i] * df(xp[i], yp[i]) }
                    }
                }
            }
            return [Tensor(n: g.n, c: g.c, h: g.h, w: g.w, data: out)]
        }
    }

    /// |x| (derivative sign(x), 0 at 0).
    public func abs() -> Variable { unary("abs", Swift.abs) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// x².
    public func square() -> Variable { unary("square", { $0 * $0 }) { x, _ in 2 * x } }
    /// √x (x > 0).
    public func sqrt() -> Variable { unary("sqrt", { Foundation.sqrt($0) }) { _, y in y > 0 ? 0.5 / y : 0 } }
    /// eˣ.
    public func exp() -> Variable { unary("exp", { Foundation.exp($0) }) { _, y in y } }
    /// ln x (x > 0).
    public func log() -> Variable { unary("log", { Foundation.log($0) }) { x, _ in 1 / x } }
    /// log(1 + eˣ), computed without overflow (the building block of binary cross-entropy).
    public func softplus() -> Variable {
        unary("softplus", { $0 > 0 ? $0 + Foundation.log1p(Foundation.exp(-$0)) : Foundation.log1p(Foundation.exp($0)) }) { x, _ in
            1 / (1 + Foundation.exp(-x))
        }
    }

    /// Stops gradients: the same value as a constant.
    public func detached() -> Variable { Variable(value, context: context) }
}

/// Precondition that two variables have equal shapes.
func checkSame(_ a: Variable, _ b: Variable, _ op: String) {
    precondition(a.value.sameShape(as: b.value), "\(op): shape \(a.value.shapeDescription) != \(b.value.shapeDescription)")
}
