import SRKernels
import SRTensor

/// ncnn `Eltwise`: reduces same-shaped inputs. Parameters 0 op_type (0 prod, 1 sum, 2 max),
/// 1 coeffs (array `-23301=N,...`, sum only: one weight per input).
public struct EltwiseLayer: Layer {
    /// Name for messages.
    public let name: String
    /// The reduction.
    public let op: EltwiseKind
    /// Per-input weights of a sum, or empty.
    public let coefficients: [Float]

    /// `op` over the inputs, each times its coefficient (sum only; empty: all 1).
    public init(name: String, op: EltwiseKind, coefficients: [Float] = []) {
        self.name = name
        self.op = op
        self.coefficients = coefficients
    }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1])
        name = p.name
        let type = try p.int(0, 0)
        guard let k = EltwiseKind(rawValue: type) else { throw p.unsupported("op_type \(type) is not supported") }
        op = k
        coefficients = try p.array(1)
        if !coefficients.isEmpty && coefficients.count != p.inputCount {
            throw p.unsupported("\(coefficients.count) coefficients for \(p.inputCount) inputs")
        }
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        _ = try outputShapes(inputs.map(BlobShape.init))
        return [Kernels.eltwise(inputs, op, coefficients: op == .sum ? coefficients : [])]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        guard let f = inputs.first, inputs.allSatisfy({ $0 == f }) else {
            throw ModelError.shapeMismatch(layer: name, detail: "inputs differ in shape: \(inputs.map(\.description).joined(separator: ", "))")
        }
        if !coefficients.isEmpty && coefficients.count != inputs.count {
            throw ModelError.shapeMismatch(layer: name, detail: "\(coefficients.count) coefficients for \(inputs.count) inputs")
        }
        return [f]
    }
}

extension EltwiseLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        coefficients.isEmpty ? [0: .int(op.rawValue)] : [0: .int(op.rawValue), 1: .array(coefficients)]
    }
}
