import SRAutograd
import SRKernels
import SRTensor

/// A network as a typed layer list: each node is an operation with typed parameters, the
/// variables holding its weights, and the values it reads.
///
/// A trainable architecture builds its graph once (`TrainableNetwork.graph`); training runs it
/// with autograd (`autograd`), inference lowers it to the engine's typed graph (`engineGraph`,
/// then `NCNNNet`), and `models export` writes the same lowering as ncnn files. So the two paths
/// cannot disagree about what the network is.
///
/// Nodes are in execution order and read only earlier values. A graph may have a second output
/// used in training only (`trainingOutput`), e.g. a classifier's logits beside the image.
public struct LayerGraph {
    /// The output of one node.
    public struct Value: Hashable, Sendable {
        /// Index of the node that produces it.
        public let node: Int
    }

    /// What a node computes.
    public enum Operation {
        /// The network input (`channels` channels); always node 0.
        case input(channels: Int)
        /// Square-kernel convolution with zero padding; `weight` is `out x in x k x k`.
        case convolution(weight: Variable, bias: Variable?, kernel: Int, stride: Int, pad: Int)
        /// Batch normalization with learned affine parameters and running statistics.
        case batchNorm(gamma: Variable, beta: Variable, stats: BatchNormStats)
        /// max(x, 0).
        case relu
        /// x for x > 0, else `slope` x.
        case leakyReLU(slope: Float)
        /// Per-channel (or one shared) learned negative slope.
        case prelu(slopes: Variable)
        /// Depth to space by `factor`.
        case pixelShuffle(factor: Int)
        /// Resampling by an integer `scale`.
        case interp(ResampleMode, scale: Int)
        /// Element-wise sum of two values of one shape.
        case add
        /// Element-wise difference (first minus second) of two values of one shape.
        case subtract
        /// Element-wise product of two values of one shape.
        case multiply
        /// 1 / (1 + exp(-x)).
        case sigmoid
        /// Channel-wise concatenation.
        case concat
        /// Channels `start ..< start + count`.
        case sliceChannels(start: Int, count: Int)
        /// Softmax over the channels at every pixel.
        case softmaxChannels
        /// x · sigmoid(x).
        case silu
        /// GroupNorm with per-pixel statistics (see `Variable.pixelGroupNorm`).
        case pixelGroupNorm(groups: Int, gamma: Variable, beta: Variable)
        /// The value of the largest channel at every pixel (inference only: no gradient).
        case classValue(values: [Float])
    }

    /// One node: a name (for messages and exported layers), an operation and its inputs.
    public struct Node {
        /// Unique within the graph.
        public let name: String
        /// What it computes.
        public let operation: Operation
        /// The values it reads.
        public let inputs: [Value]
    }

    /// The nodes in execution order.
    public private(set) var nodes: [Node] = []
    /// The inference output (set by `output(_:)`; default the last node).
    public private(set) var output: Value
    /// The output in training, when it differs from `output`.
    public private(set) var trainingOutput: Value?

    /// Starts a graph whose input has `channels` channels.
    public init(inputChannels channels: Int = 3) {
        nodes = [Node(name: "input", operation: .input(channels: channels), inputs: [])]
        output = Value(node: 0)
    }

    /// The network input.
    public var input: Value { Value(node: 0) }

    /// Appends a node; returns its output.
    @discardableResult
    public mutating func add(_ name: String, _ operation: Operation, _ inputs: Value...) -> Value {
        append(name, operation, inputs)
    }

    /// Appends a node reading `inputs`; returns its output.
    @discardableResult
    public mutating func append(_ name: String, _ operation: Operation, _ inputs: [Value]) -> Value {
        precondition(inputs.allSatisfy { $0.node < nodes.count }, "\(name): reads a value not yet computed")
        precondition(!nodes.contains { $0.name == name }, "\(name): duplicate node name")
        nodes.append(Node(name: name, operation: operation, inputs: inputs))
        output = Value(node: nodes.count - 1)
        return output
    }

    /// Marks `value` as the inference output and, when given, `training` as the training output.
    public mutating func setOutput(_ value: Value, training: Value? = nil) {
        output = value
        trainingOutput = training
    }

    /// Channels of the input.
    public var inputChannels: Int {
        if case .input(let c) = nodes[0].operation { return c }
        return 3
    }

    /// A same-padded stride-1 `kernel` x `kernel` convolution of `x` (the common case).
    public mutating func conv(_ name: String, _ x: Value, _ weight: Variable, _ bias: Variable?, kernel: Int = 3) -> Value {
        add(name, .convolution(weight: weight, bias: bias, kernel: kernel, stride: 1, pad: kernel / 2), x)
    }

    /// The nodes `value` depends on (itself included), as a mask over `nodes`.
    func cone(of value: Value) -> [Bool] {
        var needed = [Bool](repeating: false, count: nodes.count)
        needed[value.node] = true
        for i in stride(from: value.node, through: 0, by: -1) where needed[i] {
            for v in nodes[i].inputs { needed[v.node] = true }
        }
        return needed
    }
}

extension LayerGraph {
    /// Runs the graph with autograd on `x` (`1...N x C x H x W`): the training output when
    /// `training` (batch norm on batch statistics), else the inference output.
    public func autograd(_ x: Variable, training: Bool) -> Variable {
        let target = training ? (trainingOutput ?? output) : output
        let needed = cone(of: target)
        var values = [Variable?](repeating: nil, count: nodes.count)
        values[0] = x
        for (i, node) in nodes.enumerated() where i > 0 && needed[i] {
            let ins = node.inputs.compactMap { values[$0.node] }
            precondition(ins.count == node.inputs.count, "\(node.name): an input was not computed")
            values[i] = LayerGraph.apply(node.operation, ins, training: training)
        }
        guard let y = values[target.node] else { preconditionFailure("the output was not computed") }
        return y
    }

    /// One operation on variables.
    static func apply(_ op: Operation, _ x: [Variable], training: Bool) -> Variable {
        switch op {
        case .input: return x[0]
        case .convolution(let w, let b, let k, let s, let p): return x[0].conv2d(w, bias: b, window: Window(kernel: k, stride: s, pad: p))
        case .batchNorm(let g, let b, let stats): return x[0].batchNorm(gamma: g, beta: b, stats: stats, training: training)
        case .relu: return x[0].relu()
        case .leakyReLU(let s): return x[0].leakyReLU(s)
        case .prelu(let s): return x[0].prelu(s)
        case .pixelShuffle(let r): return x[0].pixelShuffle(r)
        case .interp(let mode, let scale): return x[0].interp(mode, scale: scale)
        case .add: return x[0] + x[1]
        case .subtract: return x[0] - x[1]
        case .multiply: return x[0] * x[1]
        case .sigmoid: return x[0].sigmoid()
        case .concat: return Variable.concat(x)
        case .sliceChannels(let start, let count): return x[0].crop(channel: start, c: count, top: 0, left: 0, h: x[0].h, w: x[0].w)
        case .silu: return x[0].silu()
        case .classValue(let values): return Variable(Kernels.classValue(x[0].value, values: values), context: x[0].context)
        case .pixelGroupNorm(let groups, let g, let b): return x[0].pixelGroupNorm(groups: groups, gamma: g, beta: b)
        case .softmaxChannels:
            // Each pixel's largest logit subtracted first (a constant): exp cannot overflow.
            let v = x[0].value, plane = v.h * v.w
            var peak = v
            for b in 0..<v.n {
                for j in 0..<plane {
                    var m = -Float.infinity
                    for c in 0..<v.c { m = max(m, v.data[(b * v.c + c) * plane + j]) }
                    for c in 0..<v.c { peak.data[(b * v.c + c) * plane + j] = m }
                }
            }
            return (x[0] - Variable(peak, context: x[0].context)).exp().channelSumNormalized()
        }
    }
}
