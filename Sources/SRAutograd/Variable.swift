import SRKernels
import SRTensor

/// A node of the reverse-mode autograd graph: a value, its gradient once `backward` ran, and how
/// to pass a gradient on to the inputs it was computed from.
///
/// Threading: a graph belongs to one thread (the training loop); ops may use Dispatch workers
/// inside, as many as the variable's `context` allows (an op's result takes the context of the
/// parent with the most threads, so a batch made with a context passes it to everything computed
/// from it); two threads must not build or differentiate the same graph at once.
/// Lifetime: a graph lives as long as its loss variable; `backward` frees the gradients of
/// intermediate nodes once they were passed on, so only leaves (parameters) keep theirs.
public final class Variable: @unchecked Sendable {
    /// The computed value.
    public var value: Tensor
    /// d(loss)/d(value), set by `backward` on variables that require a gradient.
    public var grad: Tensor?
    /// True for parameters and for anything computed from one.
    public let requiresGrad: Bool
    /// Name for messages and weight files (parameters), or the op that made it.
    public var name: String
    /// The inputs this value was computed from.
    let parents: [Variable]
    /// Given d(loss)/d(value), the gradient for each parent (nil: none for that parent).
    let pullback: ((Tensor) -> [Tensor?])?
    /// How ops on this variable run their kernels (workers per batch, GEMM split).
    public let context: ExecutionContext

    /// A leaf: a constant input (`requiresGrad` false) or a parameter (true).
    public init(_ value: Tensor, requiresGrad: Bool = false, name: String = "", context: ExecutionContext = .serial) {
        self.value = value; self.requiresGrad = requiresGrad; self.name = name; self.context = context
        parents = []; pullback = nil
    }

    /// An op result; it requires a gradient when any parent does.
    init(_ value: Tensor, op: String, parents: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.value = value; name = op
        context = parents.map(\.context).max { $0.threads < $1.threads } ?? .serial
        let needs = parents.contains { $0.requiresGrad }
        requiresGrad = needs
        self.parents = needs ? parents : []
        self.pullback = needs ? pullback : nil
    }

    /// Shape shortcuts.
    public var n: Int { value.n }
    public var c: Int { value.c }
    public var h: Int { value.h }
    public var w: Int { value.w }

    /// The single element of a 1-element variable (a loss).
    public var scalar: Float { value.data[0] }

    /// Back-propagates from this variable (usually a scalar loss, seeded with 1 per element).
    ///
    /// Gradients accumulate into `grad` of every leaf that requires one; call `zeroGrad` on the
    /// parameters (or let the optimizer do it) between steps.
    public func backward(seed: Tensor? = nil) {
        guard requiresGrad else { return }
        let order = topologicalOrder()
        grad = seed ?? Tensor(n: value.n, c: value.c, h: value.h, w: value.w, repeating: 1)
        for node in order.reversed() {
            guard let g = node.grad, let pull = node.pullback else { continue }
            let grads = pull(g)
            for (p, pg) in zip(node.parents, grads) where p.requiresGrad {
                guard let pg else { continue }
                precondition(pg.count == p.value.count, "\(node.name): gradient size \(pg.count) != \(p.value.count) for \(p.name)")
                if var acc = p.grad {
                    acc.addInPlace(pg)
                    p.grad = acc
                } else {
                    p.grad = pg
                }
            }
            if !node.parents.isEmpty { node.grad = nil }
        }
    }

    /// Nodes reachable from here, each after all of its parents.
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = [], seen = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (v, expanded) = stack.popLast() {
            if expanded { order.append(v); continue }
            guard seen.insert(ObjectIdentifier(v)).inserted else { continue }
            stack.append((v, true))
            for p in v.parents where p.requiresGrad && !seen.contains(ObjectIdentifier(p)) { stack.append((p, false)) }
        }
        return order
    }
}

extension Tensor {
    /// Adds `other` element-wise (same element count).
    public mutating func addInPlace(_ other: Tensor, scale: Float = 1) {
        precondition(count == other.count, "addInPlace size \(count) != \(other.count)")
        data.withUnsafeMutableBufferPointer { d in
            other.data.withUnsafeBufferPointer { s in
                for i in d.indices { d[i] += scale * s[i] }
            }
        }
    }

    /// A tensor of the same shape with every element `value`.
    public func filled(_ value: Float) -> Tensor { Tensor(n: n, c: c, h: h, w: w, repeating: value) }

    /// Maps every element.
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(n: n, c: c, h: h, w: w, data: data.map(f))
    }

    /// Combines two same-size tensors element by element (shape of `self`).
    public func zipMap(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(count == other.count, "zipMap size \(count) != \(other.count)")
        var out = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<a.count { out[i] = f(a[i], b[i]) }
            }
        }
        return Tensor(n: n, c: c, h: h, w: w, data: out)
    }
}
