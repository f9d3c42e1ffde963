import CKernels
import SRTensor

extension Kernels {
    /// Applies an activation to every element (ncnn ReLU, PReLU, Sigmoid, Clip layers).
    public static func activation(_ x: Tensor, _ act: Activation) -> Tensor {
        var out = x.pooledCopy()
        let plane = x.h * x.w
        if out.count == 0 { return out }
        out.data.withUnsafeMutableBufferPointer { ob in
            guard let op = ob.baseAddress else { return }
            if case .prelu(let s) = act, s.count > 1 {
                for b in 0..<x.n {
                    for ch in 0..<x.c {
                        Epilogue.apply(op + (b * x.c + ch) * plane, count: plane, bias: 0, activation: act, channel: ch)
                    }
                }
            } else {
                Epilogue.apply(op, count: x.count, bias: 0, activation: act, channel: 0)
            }
        }
        return out
    }

    /// SiLU, `x / (1 + e^-x)`, on every element (ncnn Swish), with the vector C kernel.
    public static func silu(_ x: Tensor, isa: KernelISA = .best) -> Tensor {
        var out = x.pooledCopy()
        if out.count == 0 { return out }
        out.data.withUnsafeMutableBufferPointer { ob in
            guard let op = ob.baseAddress else { return }
            ck_silu(op, ob.count, isa.cValue)
        }
        return out
    }

    /// Multiplies each channel by `scale[ch]` (or `scale[b * c + ch]`) and adds `bias[ch]` (ncnn Scale).
    public static func scale(_ x: Tensor, scale: [Float], bias: [Float] = []) -> Tensor {
        precondition(scale.count == x.c || scale.count == x.n * x.c, "scale needs one value per channel")
        precondition(bias.isEmpty || bias.count == x.c, "scale bias needs one value per channel")
        var out = x.pooledCopy()
        let plane = x.h * x.w
        if out.count == 0 { return out }
        out.data.withUnsafeMutableBufferPointer { ob in
            guard let op = ob.baseAddress else { return }
            for b in 0..<x.n {
                for ch in 0..<x.c {
                    let s = scale.count == x.c ? scale[ch] : scale[b * x.c + ch]
                    let bv: Float = bias.isEmpty ? 0 : bias[ch]
                    let p = op + (b * x.c + ch) * plane
                    for i in 0..<plane { p[i] = p[i] * s + bv }
                }
            }
        }
        return out
    }

    /// Reduces same-shaped inputs element-wise (ncnn Eltwise); `coefficients` weight a sum.
    public static func eltwise(_ inputs: [Tensor], _ op: EltwiseKind, coefficients: [Float] = []) -> Tensor {
        precondition(!inputs.isEmpty, "eltwise needs inputs")
        precondition(inputs.allSatisfy { $0.sameShape(as: inputs[0]) }, "eltwise shape mismatch")
        precondition(coefficients.isEmpty || coefficients.count >= inputs.count, "eltwise coefficient count")
        var out = inputs[0].pooledCopy()
        let count = out.count
        if count == 0 { return out }
        let weighted = op == .sum && !coefficients.isEmpty
        out.data.withUnsafeMutableBufferPointer { ob in
            guard let o = ob.baseAddress else { return }
            if weighted {
                let c0 = coefficients[0]
                for i in 0..<count { o[i] *= c0 }
            }
            for k in 1..<max(inputs.count, 1) {
                inputs[k].data.withUnsafeBufferPointer { tb in
                    guard let t = tb.baseAddress else { return }
                    switch op {
                    case .prod: for i in 0..<count { o[i] *= t[i] }
                    case .max: for i in 0..<count { o[i] = Swift.max(o[i], t[i]) }
                    case .sum:
                        if weighted {
                            let ck = coefficients[k]
                            for i in 0..<count { o[i] += ck * t[i] }
                        } else {
                            for i in 0..<count { o[i] += t[i] }
                        }
                    }
                }
            }
        }
        return out
    }
}
