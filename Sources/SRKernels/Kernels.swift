import SRTensor

/// Fast operators with the same signatures and meaning as `Reference`.
///
/// Every function here is tested against its `Reference` twin (Tests/SRKernelsTests).
/// Thread safety: all functions are reentrant; several Dispatch workers may call them at once.
/// BLAS threading is process-wide: see `BLAS.threads`.
public enum Kernels {}

// TRANSITIONAL: forwarding to the reference until the fast kernels land.
extension Kernels {
    public static func activation(_ x: Tensor, _ act: Activation) -> Tensor { Reference.activation(x, act) }
    public static func pixelShuffle(_ x: Tensor, factor r: Int) -> Tensor { Reference.pixelShuffle(x, factor: r) }
    public static func interp(_ x: Tensor, mode: InterpMode, outH: Int, outW: Int, alignCorners: Bool = false) -> Tensor {
        Reference.interp(x, mode: mode, outH: outH, outW: outW, alignCorners: alignCorners)
    }
    public static func binaryOp(_ a: Tensor, _ b: Tensor, _ op: BinaryOpKind) -> Tensor { Reference.binaryOp(a, b, op) }
    public static func binaryOp(_ a: Tensor, scalar: Float, _ op: BinaryOpKind) -> Tensor { Reference.binaryOp(a, scalar: scalar, op) }
    public static func eltwise(_ inputs: [Tensor], _ op: EltwiseKind, coefficients: [Float] = []) -> Tensor {
        Reference.eltwise(inputs, op, coefficients: coefficients)
    }
    public static func concatChannels(_ inputs: [Tensor]) -> Tensor { Reference.concatChannels(inputs) }
    public static func crop(_ x: Tensor, channel: Int = 0, top: Int, left: Int, c: Int? = nil, h: Int, w: Int) -> Tensor {
        Reference.crop(x, channel: channel, top: top, left: left, c: c, h: h, w: w)
    }
    public static func pooling(_ x: Tensor, _ g: PoolingGeometry) -> Tensor { Reference.pooling(x, g) }
    public static func innerProduct(_ x: Tensor, weight: [Float], bias: [Float], outCount: Int,
                                    activation: Activation = .none) -> Tensor {
        Reference.innerProduct(x, weight: weight, bias: bias, outCount: outCount, activation: activation)
    }
    public static func scale(_ x: Tensor, scale: [Float], bias: [Float] = []) -> Tensor { Reference.scale(x, scale: scale, bias: bias) }
}
