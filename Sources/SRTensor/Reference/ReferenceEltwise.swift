extension Reference {
    /// Reduces same-shaped inputs element-wise (ncnn Eltwise); `coefficients` weight a sum.
    public static func eltwise(_ inputs: [Tensor], _ op: EltwiseKind, coefficients: [Float] = []) -> Tensor {
        precondition(!inputs.isEmpty, "eltwise needs inputs")
        var out = inputs[0]
        for i in 0..<out.count {
            var acc: Float
            switch op {
            case .prod:
                acc = 1
                for t in inputs { acc *= t.data[i] }
            case .sum:
                acc = 0
                for (k, t) in inputs.enumerated() { acc += (coefficients.isEmpty ? 1 : coefficients[k]) * t.data[i] }
            case .max:
                acc = -Float.infinity
                for t in inputs { acc = max(acc, t.data[i]) }
            }
            out.data[i] = acc
        }
        return out
    }
}
