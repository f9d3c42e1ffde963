import SRTensor

/// Reductions to one value (losses) and per-channel sums.
extension Variable {
    /// The sum of every element, as a 1x1x1x1 variable.
    public func sum() -> Variable {
        let shape = value
        var s: Double = 0
        for v in value.data { s += Double(v) }
        return Variable(Tensor(n: 1, c: 1, h: 1, w: 1, data: [Float(s)]), op: "sum", parents: [self]) { g in
            [shape.filled(g.data[0])]
        }
    }

    /// The mean of every element, as a 1x1x1x1 variable.
    public func mean() -> Variable {
        let n = Float(max(value.count, 1))
        return sum() * (1 / n)
    }
}
