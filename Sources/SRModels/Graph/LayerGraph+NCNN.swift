import SRAutograd
import SRTensor

/// A lowered graph: the engine's layer list with its weight bytes (and the same as ncnn files).
public struct NCNNGraph: Sendable {
    /// The graph's name (`NAME.param`, `NAME.bin` in messages and exports).
    public let name: String
    /// The layers, in memory (no text).
    public let param: NCNNParam
    /// The weights in ncnn's `.bin` layout.
    public let bin: [UInt8]

    /// The graph as an inference network.
    public func net() throws -> NCNNNet {
        try NCNNNet(param: param, weights: NCNNModelBin(bytes: bin, file: name + ".bin"))
    }

    /// The `.param` text (`models export`; other engines read it).
    public var paramText: String { param.text }
}

extension LayerGraph {
    /// Lowers the inference output's cone to ncnn layers, the ones the importer builds too.
    ///
    /// Inference rewrites: a batch norm right after a convolution (its only reader) is folded into
    /// the convolution's weights with the running statistics; a ReLU or leaky ReLU right after one
    /// becomes its fused activation; other batch norms become `Scale`. A value read more than once
    /// goes through a `Split`, as ncnn graphs do. `name` names the graph in messages.
    public func ncnnGraph(name: String) -> NCNNGraph {
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
        return NCNNGraph.write(lowered, output: source[output.node], name: name)
    }
}

/// One engine layer being lowered: the operation, what it absorbed, and its inputs (indices).
struct Lowered {
    let name: String
    var operation: LayerGraph.Operation
    let inputs: [Int]
    /// Folded batch norm (weights already scaled) and fused activation of a convolution.
    var weight: [Float] = [], bias: [Float] = [], activation: (Int, [Float])?

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
        case .relu: activation = (1, [])
        case .leakyReLU(let s): activation = (2, [s])
        default: break
        }
    }
}

extension NCNNGraph {
    /// The ncnn layer list and weights of `layers`, returning `output`'s blob last.
    static func write(_ layers: [Lowered], output: Int, name: String) -> NCNNGraph {
        let file = name + ".param"
        var readers = [Int](repeating: 0, count: layers.count)
        for l in layers { for i in l.inputs { readers[i] += 1 } }
        readers[output] += 1
        var specs: [NCNNLayerSpec] = [], bin = NCNNWeights()
        var pending = [[String]](repeating: [], count: layers.count)   // blobs left to hand out per layer
        func take(_ i: Int) -> String { pending[i].removeFirst() }
        func emit(_ type: String, _ name: String, _ bottoms: [String], tops: [String], _ values: [Int: NCNNParamValue] = [:]) {
            specs.append(NCNNLayerSpec(params: NCNNLayerParams(file: file, type: type, name: name, values: values,
                                                               inputCount: bottoms.count, outputCount: tops.count),
                                       bottoms: bottoms, tops: tops, line: specs.count + 3))
        }
        for (i, l) in layers.enumerated() {
            let bottoms = l.inputs.map(take)
            let top = i == 0 ? "data" : "\(l.name)_0"
            switch l.operation {
            case .input(let c): emit("Input", "input", [], tops: [top], [0: .int(0), 1: .int(0), 2: .int(c)])
            case .convolution(let w, _, let k, let s, let p):
                var v: [Int: NCNNParamValue] = [0: .int(w.value.n), 1: .int(k), 3: .int(s), 4: .int(p),
                                                5: .int(l.bias.isEmpty ? 0 : 1), 6: .int(l.weight.count)]
                if let (t, a) = l.activation { v[9] = .int(t); if !a.isEmpty { v[10] = .array(a) } }
                emit("Convolution", l.name, bottoms, tops: [top], v)
                bin.tagged(l.weight); bin.raw(l.bias)
            case .batchNorm(let g, let b, let stats):
                let (k, shift) = Lowered.affine(gamma: g, beta: b, stats: stats)
                emit("Scale", l.name, bottoms, tops: [top], [0: .int(k.count), 1: .int(1)])
                bin.raw(k); bin.raw(shift)
            case .relu: emit("ReLU", l.name, bottoms, tops: [top])
            case .leakyReLU(let s): emit("ReLU", l.name, bottoms, tops: [top], [0: .float(s)])
            case .prelu(let s):
                emit("PReLU", l.name, bottoms, tops: [top], [0: .int(s.value.count)])
                bin.raw(s.value.data)
            case .pixelShuffle(let r): emit("PixelShuffle", l.name, bottoms, tops: [top], [0: .int(r)])
            case .interp(let mode, let scale):
                emit("Interp", l.name, bottoms, tops: [top], [0: .int(mode.interpMode.rawValue), 1: .float(Float(scale)), 2: .float(Float(scale))])
            case .add: emit("BinaryOp", l.name, bottoms, tops: [top], [0: .int(0)])
            case .concat: emit("Concat", l.name, bottoms, tops: [top], [0: .int(0)])
            case .sliceChannels(let start, let count):
                emit("Crop", l.name, bottoms, tops: [top], [2: .int(start), 3: .int(-233), 4: .int(-233), 5: .int(count)])
            case .softmaxChannels: emit("Softmax", l.name, bottoms, tops: [top], [0: .int(0), 1: .int(1)])
            }
            if readers[i] > 1 {
                let tops = (0..<readers[i]).map { "\(l.name)_split_\($0)" }
                emit("Split", "\(l.name)_split", [top], tops: tops)
                pending[i] = tops
            } else {
                pending[i] = [top]
            }
        }
        let blobs = specs.reduce(0) { $0 + $1.tops.count }
        return NCNNGraph(name: name, param: NCNNParam(file: file, layers: specs, blobCount: blobs), bin: bin.bytes)
    }
}

/// Weight bytes in ncnn's `.bin` layout (little-endian fp32).
struct NCNNWeights {
    private(set) var bytes: [UInt8] = []

    /// Values preceded by the fp32 tag (convolution weights).
    mutating func tagged(_ values: [Float]) { raw([0]); raw(values) }

    /// Raw values (biases, slopes, scales).
    mutating func raw(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for v in values { let b = v.bitPattern; bytes += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)] }
    }
}
