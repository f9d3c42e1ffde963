import SRAutograd
import SRTensor

/// A graph as ncnn files: the layer list (`.param`) and the weight bytes (`.bin`), as
/// `EngineGraph.ncnnFiles()` writes them (`models export`; other engines read them).
public struct NCNNGraph: Sendable {
    /// The graph's name (`NAME.param`, `NAME.bin` in messages and exports).
    public let name: String
    /// The layers, in memory (no text).
    public let param: NCNNParam
    /// The weights in ncnn's `.bin` layout.
    public let bin: [UInt8]

    /// The `.param` text (`models export`; other engines read it).
    public var paramText: String { param.text }
}

extension LayerGraph {
    /// Lowers the inference output's cone to the engine's typed layers, the ones the ncnn
    /// importer builds too (no ncnn keys on the way).
    ///
    /// Inference rewrites: a batch norm right after a convolution (its only reader) is folded into
    /// the convolution's weights with the running statistics; a ReLU or leaky ReLU right after one
    /// becomes its fused activation; other batch norms become `Scale`. A value read more than once
    /// goes through a `Split`, as ncnn graphs do. `name` names the graph in messages.
    public func engineGraph(name: String) -> EngineGraph {
        let needed = cone(of: output)
        var readers = [Int](repeating: 0, count: nodes.count)
        for (i, n) in nodes.enumerated() where needed[i] { for v in n.inputs { readers[v.node] += 1 } }
        readers[output.node] += 1
        var lowered: [Lowered] = []
        var source = [Int](repeating: -1, count: nodes.count)   // node -> index into `lowered`
        for (i, node) in nodes.enumerated() where needed[i] {
            let from = node.inputs.map { source[$0.node] }
            if let f = from.first, node.inputs.count == 1, readers[node.inputs[0].node] == 1, lowered[f].absorbs(node.operation) {
                lowered[f].absorb(node.operation)
                source[i] = f
                continue
            }
            lowered.append(Lowered(name: node.name, operation: node.operation, inputs: from))
            source[i] = lowered.count - 1
        }
        return EngineGraph.lower(lowered, output: source[output.node], name: name)
    }
}

/// One engine layer being lowered: the operation, what it absorbed, and its inputs (indices).
struct Lowered {
    let name: String
    var operation: LayerGraph.Operation
    let inputs: [Int]
    /// Folded batch norm (weights already scaled) and fused activation of a convolution.
    var weight: [Float] = [], bias: [Float] = [], activation: Activation?

    init(name: String, operation: LayerGraph.Operation, inputs: [Int]) {
        self.name = name; self.operation = operation; self.inputs = inputs
        if case .convolution(let w, let b, _, _, _) = operation {
            weight = w.value.data
            bias = b?.value.data ?? []
        }
    }

    /// Inference batch norm as `x * scale + shift` per channel, from the running statistics.
    static func affine(gamma: Variable, beta: Variable, stats: BatchNormStats) -> (scale: [Float], shift: [Float]) {
        let k = (0..<gamma.value.count).map { gamma.value.data[$0] / (stats.variance[$0] + stats.epsilon).squareRoot() }
        return (k, k.indices.map { beta.value.data[$0] - stats.mean[$0] * k[$0] })
    }

    /// True when `next`, the only reader of this layer, can be folded into it.
    func absorbs(_ next: LayerGraph.Operation) -> Bool {
        guard case .convolution = operation, activation == nil else { return false }
        switch next {
        case .batchNorm: return true
        case .relu, .leakyReLU: return true
        default: return false
        }
    }

    /// Folds `next` into this convolution.
    mutating func absorb(_ next: LayerGraph.Operation) {
        switch next {
        case .batchNorm(let g, let b, let stats):
            let (k, shift) = Lowered.affine(gamma: g, beta: b, stats: stats)
            if bias.isEmpty { bias = [Float](repeating: 0, count: k.count) }
            let per = weight.count / k.count
            for o in 0..<k.count {
                for i in 0..<per { weight[o * per + i] *= k[o] }
                bias[o] = bias[o] * k[o] + shift[o]
            }
        case .relu: activation = .relu
        case .leakyReLU(let s): activation = .leakyReLU(s)
        default: break
        }
    }
}

extension EngineGraph {
    /// The typed layers of `layers`, returning `output`'s blob last; a value read more than once
    /// goes through a `Split`.
    static func lower(_ layers: [Lowered], output: Int, name: String) -> EngineGraph {
        var readers = [Int](repeating: 0, count: layers.count)
        for l in layers { for i in l.inputs { readers[i] += 1 } }
        readers[output] += 1
        var nodes: [Node] = []
        var pending = [[String]](repeating: [], count: layers.count)   // blobs left to hand out per layer
        func take(_ i: Int) -> String { pending[i].removeFirst() }
        for (i, l) in layers.enumerated() {
            let bottoms = l.inputs.map(take)
            let top = i == 0 ? "data" : "\(l.name)_0"
            let (type, layer) = typedLayer(l)
            nodes.append(Node(name: i == 0 ? "input" : l.name, type: type, layer: layer, bottoms: bottoms, tops: [top]))
            if readers[i] > 1 {
                let tops = (0..<readers[i]).map { "\(l.name)_split_\($0)" }
                nodes.append(Node(name: "\(l.name)_split", type: "Split", layer: SplitLayer(name: "\(l.name)_split", outputs: tops.count),
                                  bottoms: [top], tops: tops))
                pending[i] = tops
            } else {
                pending[i] = [top]
            }
        }
        return EngineGraph(file: name + ".param", nodes: nodes)
    }

    /// The ncnn type name and the typed layer of one lowered operation.
    private static func typedLayer(_ l: Lowered) -> (String, any Layer) {
        switch l.operation {
        case .input(let c): return ("Input", InputLayer(name: "input", shape: BlobShape(c: c, h: 0, w: 0)))
        case .convolution(let w, _, let k, let s, let p):
            let g = ConvGeometry(inChannels: w.value.c, outChannels: w.value.n, kernel: k, stride: s, pad: p)
            return ("Convolution", ConvolutionLayer(name: l.name, geometry: g, weight: l.weight, bias: l.bias, activation: l.activation ?? .none))
        case .batchNorm(let g, let b, let stats):
            let (k, shift) = Lowered.affine(gamma: g, beta: b, stats: stats)
            return ("Scale", ScaleLayer(name: l.name, scale: k, bias: shift))
        case .relu: return ("ReLU", ReLULayer(name: l.name))
        case .leakyReLU(let s): return ("ReLU", ReLULayer(name: l.name, slope: s))
        case .prelu(let s): return ("PReLU", PReLULayer(name: l.name, slopes: s.value.data))
        case .pixelShuffle(let r): return ("PixelShuffle", PixelShuffleLayer(name: l.name, factor: r, mode: .channelMajor))
        case .interp(let mode, let scale):
            return ("Interp", InterpLayer(name: l.name, mode: mode.interpMode, heightScale: Float(scale), widthScale: Float(scale)))
        case .add: return ("BinaryOp", BinaryOpLayer(name: l.name, op: .add))
        case .subtract: return ("BinaryOp", BinaryOpLayer(name: l.name, op: .sub))
        case .multiply: return ("BinaryOp", BinaryOpLayer(name: l.name, op: .mul))
        case .sigmoid: return ("Sigmoid", SigmoidLayer(name: l.name))
        case .concat: return ("Concat", ConcatLayer(name: l.name))
        case .sliceChannels(let start, let count): return ("Crop", CropLayer(name: l.name, channels: start, count: count))
        case .softmaxChannels: return ("Softmax", SoftmaxLayer(name: l.name))
        case .silu: return ("Swish", SwishLayer(name: l.name))
        case .classValue(let values): return ("ClassValue", ClassValueLayer(name: l.name, values: values))
        case .pixelGroupNorm(let groups, let g, let b):
            return ("PixelGroupNorm", PixelGroupNormLayer(name: l.name, groups: groups, gamma: g.value.data, beta: b.value.data))
        }
    }
}

/// Weight bytes in ncnn's `.bin` layout (little-endian fp32).
public struct NCNNWeights {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// No bytes.
    public init() {}

    /// Values preceded by the fp32 tag (convolution weights).
    public mutating func tagged(_ values: [Float]) { raw([0]); raw(values) }

    /// Raw values (biases, slopes, scales).
    public mutating func raw(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for v in values { let b = v.bitPattern; bytes += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)] }
    }
}
