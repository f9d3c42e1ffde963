import Foundation
import SRKernels
import SRTensor

/// ncnn `Softmax` over the channel axis (`0=axis` must be 0; `1=fixbug` ignored): at each pixel,
/// exp(x_c - max) / Σ exp. Used by FCS classification heads (inference by expectation).
public struct SoftmaxLayer: Layer {
    /// Name for messages.
    public let name: String

    /// Softmax over the channels at every pixel.
    public init(name: String) { self.name = name }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1])
        name = p.name
        guard try p.int(0, 0) == 0 else { throw p.unsupported("only softmax over channels (0=0) is supported") }
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        var y = inputs[0]
        let plane = y.h * y.w, channels = y.c
        var m = [Float](repeating: 0, count: plane), s = [Float](repeating: 0, count: plane)
        y.data.withUnsafeMutableBufferPointer { p in
            for b in 0..<y.n {
                let base = b * channels * plane
                for j in 0..<plane { m[j] = -Float.infinity; s[j] = 0 }
                for c in 0..<channels { let row = base + c * plane; for j in 0..<plane { m[j] = max(m[j], p[row + j]) } }
                for c in 0..<channels {
                    let row = base + c * plane
                    for j in 0..<plane { let e = expf(p[row + j] - m[j]); p[row + j] = e; s[j] += e }
                }
                for j in 0..<plane { s[j] = 1 / s[j] }
                for c in 0..<channels { let row = base + c * plane; for j in 0..<plane { p[row + j] *= s[j] } }
            }
        }
        return [y]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        return inputs
    }
}

extension SoftmaxLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] { [0: .int(0), 1: .int(1)] }
}
