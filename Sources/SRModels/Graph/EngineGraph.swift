import SRTensor

/// The inference engine's graph: typed layers over named blobs, in execution order.
///
/// The one intermediate form of every model: the ncnn importer decodes `.param`/`.bin` into it
/// (each layer type's `init(_:_:)` reads ncnn's numeric keys), a trainable architecture's
/// `LayerGraph` lowers into it with the layers' typed initialisers (no ncnn keys on that path),
/// `NCNNNet(graph:)` runs it, and `ncnnFiles()` writes it as ncnn files (`models export`), each
/// layer encoding itself (`NCNNEncodable`) next to where it is decoded.
public struct EngineGraph: Sendable {
    /// One layer with the blobs it reads and writes.
    public struct Node: Sendable {
        /// Layer name and ncnn type name.
        public let name: String, type: String
        /// The typed layer.
        public let layer: any Layer
        /// Input and output blob names.
        public let bottoms: [String], tops: [String]

        /// Creates a node.
        public init(name: String, type: String, layer: any Layer, bottoms: [String], tops: [String]) {
            self.name = name; self.type = type; self.layer = layer; self.bottoms = bottoms; self.tops = tops
        }
    }

    /// The `.param` file name the graph came from or is written as (for messages).
    public let file: String
    /// The nodes, in execution order.
    public var nodes: [Node]

    /// Creates a graph.
    public init(file: String, nodes: [Node]) { self.file = file; self.nodes = nodes }

    /// Decodes a parsed `.param` with its weights (the ncnn importer); every weight byte must be used.
    public init(param: NCNNParam, weights: NCNNModelBin) throws {
        file = param.file
        nodes = try param.layers.map { spec in
            Node(name: spec.name, type: spec.type, layer: try LayerRegistry.make(spec.params, weights), bottoms: spec.bottoms, tops: spec.tops)
        }
        if weights.remaining > 0 { throw ModelError.trailingWeights(file: weights.file, extraBytes: weights.remaining) }
    }

    /// The graph as ncnn files: the layer list (for `.param` text) and the `.bin` bytes.
    public func ncnnFiles() throws -> NCNNGraph {
        var specs: [NCNNLayerSpec] = [], bin = NCNNWeights()
        for n in nodes {
            guard let e = n.layer as? any NCNNEncodable else {
                throw ModelError.badGraph(file: file, layer: n.name, detail: "a \(n.type) layer cannot be written as ncnn")
            }
            let values = try e.ncnnValues()
            e.ncnnWeights(&bin)
            specs.append(NCNNLayerSpec(params: NCNNLayerParams(file: file, type: n.type, name: n.name, values: values,
                                                               inputCount: n.bottoms.count, outputCount: n.tops.count),
                                       bottoms: n.bottoms, tops: n.tops, line: specs.count + 3))
        }
        let name = file.hasSuffix(".param") ? String(file.dropLast(6)) : file
        return NCNNGraph(name: name, param: NCNNParam(file: file, layers: specs, blobCount: specs.reduce(0) { $0 + $1.tops.count }),
                         bin: bin.bytes)
    }
}

/// A layer that can write itself as ncnn parameters and weights (the inverse of its `init(_:_:)`).
public protocol NCNNEncodable {
    /// The `key=value` parameters; throws when the layer has no ncnn form.
    func ncnnValues() throws -> [Int: NCNNParamValue]
    /// Appends the layer's weights in `.bin` order (nothing for layers without weights).
    func ncnnWeights(_ bin: inout NCNNWeights)
}

extension NCNNEncodable {
    public func ncnnWeights(_ bin: inout NCNNWeights) {}
}

extension Activation {
    /// ncnn's fused-activation keys 9 and 10 (nil for a PReLU, which ncnn writes as its own layer).
    var ncnnValues: [Int: NCNNParamValue]? {
        switch self {
        case .none: return [:]
        case .relu: return [9: .int(1)]
        case .leakyReLU(let s): return [9: .int(2), 10: .array([s])]
        case .clip(let a, let b): return [9: .int(3), 10: .array([a, b])]
        case .sigmoid: return [9: .int(4)]
        case .prelu: return nil
        }
    }
}

/// The ncnn keys Convolution and Deconvolution share (the inverse of their decoders).
enum NCNNConvolutionKeys {
    /// Output channels, kernel, dilation, stride, padding (each key only when it differs from the
    /// one it defaults to), bias term, weight count and the fused activation.
    static func values(_ g: ConvGeometry, pad: (left: Int, right: Int, top: Int, bottom: Int), hasBias: Bool, weights: Int,
                       activation: Activation, layer: String) throws -> [Int: NCNNParamValue] {
        guard var v = activation.ncnnValues else {
            throw ModelError.badGraph(file: "", layer: layer, detail: "a fused PReLU has no ncnn form")
        }
        v[0] = .int(g.outChannels); v[1] = .int(g.kernelW); v[3] = .int(g.strideW); v[4] = .int(pad.left)
        v[5] = .int(hasBias ? 1 : 0); v[6] = .int(weights)
        if g.kernelH != g.kernelW { v[11] = .int(g.kernelH) }
        if g.dilationW != 1 { v[2] = .int(g.dilationW) }
        if g.dilationH != g.dilationW { v[12] = .int(g.dilationH) }
        if g.strideH != g.strideW { v[13] = .int(g.strideH) }
        if pad.right != pad.left { v[15] = .int(pad.right) }
        if pad.top != pad.left { v[14] = .int(pad.top) }
        if pad.bottom != pad.top { v[16] = .int(pad.bottom) }
        return v
    }
}
