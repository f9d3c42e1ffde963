import Foundation
import SRAutograd
import SRTensor

/// One learned tensor of a network: its weight-file name, its shape in the file, and the variable.
public struct NamedParameter: @unchecked Sendable {
    /// Name in the weight file (PyTorch state-dict style, e.g. `body.0.weight`).
    public let name: String
    /// Shape as stored in the file (e.g. `[64]` for a bias, `[64, 3, 3, 3]` for a weight).
    public let shape: [Int]
    /// The trainable variable.
    public let variable: Variable
}

/// A saved tensor that is not trained by gradients (batch norm's running statistics).
public struct NamedBuffer: @unchecked Sendable {
    /// Name in the weight file (e.g. `body.0.bn1.running_mean`).
    public let name: String
    /// Reads and replaces the values.
    public let get: () -> [Float], set: ([Float]) -> Void
}

/// A super-resolution architecture, defined once as a typed layer graph (`graph`): training runs
/// that graph with autograd (`forward`), inference lowers the same graph to the engine
/// (`inferenceNet`, no text in between), and `models export` writes that lowering as ncnn files.
///
/// Threading: a network object belongs to one training loop; the exported `LoadedModel` is immutable
/// and shared freely.
public protocol TrainableNetwork: AnyObject {
    /// Registry name used in configs and weight files, e.g. `srvgg_compact`.
    static var architecture: String { get }
    /// Creates a freshly initialized network (deterministic for a seed).
    init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws
    /// The settings it was created with (saved in weight files).
    var config: ArchitectureConfig { get }
    /// Enlargement factor.
    var scale: Int { get }
    /// Every learned tensor, in a fixed order.
    var parameters: [NamedParameter] { get }
    /// The network as a layer graph over its current parameter variables.
    func graph() -> LayerGraph
    /// A human-readable architecture summary, e.g. `SRVGGNetCompact 32x8`.
    var summary: String { get }
    /// Saved non-trainable state (default none).
    var buffers: [NamedBuffer] { get }
}

extension TrainableNetwork {
    public var buffers: [NamedBuffer] { [] }

    /// Number of learned values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }

    /// The parameters' variables, in order.
    public var variables: [Variable] { parameters.map(\.variable) }

    /// The weights and metadata as a safetensors file.
    public func safeTensors(extra: [String: String] = [:]) -> SafeTensors {
        var st = SafeTensors()
        for p in parameters { st.tensors[p.name] = .init(shape: p.shape, values: p.variable.value.data) }
        for b in buffers { let v = b.get(); st.tensors[b.name] = .init(shape: [v.count], values: v) }
        let configJSON = (try? JSONSerialization.data(withJSONObject: config.values, options: [.sortedKeys]))
            .flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        st.metadata = ["architecture": Self.architecture, "scale": "\(scale)", "config": configJSON, "format": "upscale-1"]
        for (k, v) in extra { st.metadata[k] = v }
        return st
    }

    /// Replaces every parameter with the same-named tensor of `st`, checking shapes.
    public func load(_ st: SafeTensors, file: String) throws {
        for p in parameters { p.variable.value.data = try st.tensor(p.name, shape: p.shape, file: file) }
        for b in buffers { b.set(try st.tensor(b.name, shape: [b.get().count], file: file)) }
    }

    /// The output for a batch of RGB images in 0...1: the graph run with autograd (`training`
    /// selects the training output and batch-norm batch statistics).
    public func forward(_ x: Variable, training: Bool) -> Variable { graph().autograd(x, training: training) }

    /// The graph lowered to the engine's typed layers, with the current weights.
    public func engineGraph() -> EngineGraph { graph().engineGraph(name: Self.architecture) }

    /// The lowered graph as ncnn files (`models export` writes them).
    public func ncnnGraph() throws -> NCNNGraph { try engineGraph().ncnnFiles() }

    /// The inference network (the lowered graph, typed layers only).
    public func inferenceNet() throws -> NCNNNet { try NCNNNet(graph: engineGraph()) }
}

/// Parameter initialization helpers (deterministic for a seed).
enum Init {
    /// A conv weight `[out][in][k][k]` drawn from N(0, gain² · 2 / fan_in) (He), times `scale`.
    static func conv(_ rng: inout SeededRandom, out: Int, in cin: Int, k: Int, scale: Float = 1) -> Tensor {
        let std = (2 / Float(cin * k * k)).squareRoot() * scale
        return Tensor(n: out, c: cin, h: k, w: k, data: (0..<(out * cin * k * k)).map { _ in rng.normal() * std })
    }

    /// A parameter of `count` values all equal to `value`, stored as `1 x count x 1 x 1`.
    static func constant(_ count: Int, _ value: Float) -> Tensor { Tensor(c: count, h: 1, w: 1, repeating: value) }
}
