import SRKernels
import SRTensor

/// ncnn `BinaryOp`: element-wise `a op b`. Parameters 0 op_type (0 add, 1 sub, 2 mul, 3 div,
/// 4 max, 5 min, 6 pow, 7 rsub, 8 rdiv), 1 with_scalar, 2 b (the scalar).
/// With two inputs, either may be the smaller one (one value per channel or a single value).
public struct BinaryOpLayer: Layer {
    /// Name for messages.
    public let name: String
    /// The operation.
    public let op: BinaryOpKind
    /// The scalar operand when the layer has one input.
    public let scalar: Float?

    /// `op` on two inputs, or on one input and `scalar`.
    public init(name: String, op: BinaryOpKind, scalar: Float? = nil) {
        self.name = name
        self.op = op
        self.scalar = scalar
    }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2])
        let type = try p.int(0, 0)
        guard let k = BinaryOpKind(rawValue: type) else { throw p.unsupported("op_type \(type) is not supported") }
        let scalar = try p.int(1, 0) != 0 ? try p.float(2, 0) : nil
        if scalar == nil && p.inputCount != 2 { throw p.unsupported("needs 2 inputs or with_scalar=1") }
        self.init(name: p.name, op: k, scalar: scalar)
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        if let s = scalar {
            try LayerCheck.count(inputs, 1, name)
            return [Kernels.binaryOp(inputs[0], scalar: s, op)]
        }
        try LayerCheck.count(inputs, 2, name)
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.binaryOp(inputs[0], inputs[1], op)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        if scalar != nil { try LayerCheck.count(inputs, 1, name); return inputs }
        try LayerCheck.count(inputs, 2, name)
        let (a, b) = inputs[0].c * inputs[0].h * inputs[0].w >= inputs[1].c * inputs[1].h * inputs[1].w
            ? (inputs[0], inputs[1]) : (inputs[1], inputs[0])
        let ok = a == b || (b.h == 1 && b.w == 1 && (b.c == 1 || b.c == a.c))
        guard ok else {
            throw ModelError.shapeMismatch(layer: name, detail: "cannot combine \(inputs[0]) and \(inputs[1])")
        }
        return [a]
    }
}

extension BinaryOpLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        scalar.map { [0: .int(op.rawValue), 1: .int(1), 2: .float($0)] } ?? [0: .int(op.rawValue)]
    }
}
