import SRKernels
import SRTensor

/// An ncnn graph: layers over named blobs, executed in file order (a topological order).
///
/// Immutable after loading and `Sendable`: several workers may run `forward` at once on
/// different inputs. During a forward pass each blob is released right after its last consumer
/// ran, so memory holds only the live activations; `Split` outputs share their input's storage.
/// At load, qualifying 3x3 convolutions get Winograd-transformed weights (within
/// `winogradBudget`) unless loaded with `winograd: false` (im2col + GEMM everywhere, for
/// comparisons; `prepared(winograd:)` gives the other variant of a loaded net).
public final class NCNNNet: Sendable {
    /// One executable node: a layer with its input and output blob indices.
    public struct Node: Sendable {
        /// Layer name and type from the `.param` file.
        public let name: String, type: String
        /// The loaded layer.
        public let layer: any Layer
        /// Input and output blob indices into `blobNames`.
        public let bottoms: [Int], tops: [Int]
    }

    /// Name of the `.param` file, for messages.
    public let file: String
    /// The nodes in execution order (after graph optimization).
    public let nodes: [Node]
    /// Blob names by index.
    public let blobNames: [String]
    /// The blob fed by `forward(input:)` and the blob it returns.
    public let inputBlob: Int, outputBlob: Int
    /// For each blob, the index of the last node that reads it (-1: none).
    private let lastUse: [Int]
    /// For each blob, the blob whose storage it shares (itself unless it is a `Split` output).
    private let aliasRoot: [Int]
    /// The graph after fusion, before the Winograd and channel-blocking rewrites.
    private let fusedNodes: [Node], fusedNames: [String]
    /// Whether qualifying convolutions run as Winograd, and whether chains pass blocked blobs.
    public let winograd: Bool, blocking: Bool

    /// Loads the graph and its weights from a `.param`/`.bin` pair on disk.
    public convenience init(paramPath: String, binPath: String, fuse: Bool = true,
                            input: String? = nil, output: String? = nil) throws {
        try self.init(param: NCNNParam(contentsOf: paramPath), weights: NCNNModelBin(contentsOf: binPath),
                      fuse: fuse, input: input, output: output)
    }

    /// Builds the graph from a parsed `.param` and a weight cursor positioned at the start.
    ///
    /// - Parameters:
    ///   - fuse: run the graph optimization (Convolution followed by its only consumer PReLU
    ///     becomes one convolution with a PReLU activation).
    ///   - input: input blob name; default the first `Input` layer's output.
    ///   - output: output blob name; default the last layer's first output.
    ///   - blocking: let chains of Winograd convolutions pass channel-blocked blobs (see
    ///     `blockChannels`); off only to compare against the plain layout.
    ///   - winograd: transform qualifying 3x3 convolutions for Winograd (off: for comparisons).
    public convenience init(param: NCNNParam, weights: NCNNModelBin, fuse: Bool = true, blocking: Bool = true,
                            winograd: Bool = true, input: String? = nil, output: String? = nil) throws {
        try self.init(graph: EngineGraph(param: param, weights: weights), fuse: fuse, blocking: blocking, winograd: winograd,
                      input: input, output: output)
    }

    /// Builds the executable net from the engine's typed graph (imported or lowered); the
    /// options are those of `init(param:weights:...)`.
    public convenience init(graph: EngineGraph, fuse: Bool = true, blocking: Bool = true,
                            winograd: Bool = true, input: String? = nil, output: String? = nil) throws {
        let file = graph.file
        var index: [String: Int] = [:]
        var names: [String] = []
        var built: [Node] = []
        var firstInput: Int?
        for spec in graph.nodes {
            var bottoms: [Int] = []
            for b in spec.bottoms {
                guard let i = index[b] else {
                    throw ModelError.badGraph(file: file, layer: spec.name, detail: "reads blob '\(b)' before any layer writes it")
                }
                bottoms.append(i)
            }
            var tops: [Int] = []
            for t in spec.tops {
                index[t] = names.count
                tops.append(names.count)
                names.append(t)
            }
            if spec.type == "Input" && firstInput == nil { firstInput = tops.first }
            built.append(Node(name: spec.name, type: spec.type, layer: spec.layer, bottoms: bottoms, tops: tops))
        }
        let lastLayer = graph.nodes.last?.name ?? "(none)"
        let inputBlob: Int, outputBlob: Int
        if let input {
            guard let i = index[input] else { throw ModelError.badGraph(file: file, layer: lastLayer, detail: "no input blob named '\(input)'") }
            inputBlob = i
        } else {
            guard let i = firstInput else { throw ModelError.badGraph(file: file, layer: lastLayer, detail: "the graph has no Input layer") }
            inputBlob = i
        }
        if let output {
            guard let o = index[output] else { throw ModelError.badGraph(file: file, layer: lastLayer, detail: "no output blob named '\(output)'") }
            outputBlob = o
        } else {
            guard let o = built.last?.tops.first else { throw ModelError.badGraph(file: file, layer: lastLayer, detail: "the graph has no output") }
            outputBlob = o
        }
        self.init(file: file, fused: fuse ? NCNNNet.fusePReLU(built, keep: outputBlob) : built, names: names,
                  input: inputBlob, output: outputBlob, winograd: winograd, blocking: blocking)
    }

    /// The executable graph from fused nodes: Winograd weights, channel blocking, release schedule.
    private init(file: String, fused: [Node], names: [String], input inputBlob: Int, output outputBlob: Int,
                 winograd: Bool, blocking: Bool) {
        self.file = file; self.inputBlob = inputBlob; self.outputBlob = outputBlob
        fusedNodes = fused; fusedNames = names; self.winograd = winograd; self.blocking = blocking
        let prepared = winograd ? NCNNNet.prepareWinograd(fused) : fused
        (nodes, blobNames) = blocking ? NCNNNet.blockChannels(prepared, input: inputBlob, keep: outputBlob, names: names)
                                      : (prepared, names)
        var last = [Int](repeating: -1, count: blobNames.count)
        for (i, n) in nodes.enumerated() { for b in n.bottoms { last[b] = i } }
        last[outputBlob] = Int.max
        lastUse = last
        var root = Array(0..<blobNames.count)
        for n in nodes where n.type == "Split" { for t in n.tops { root[t] = root[n.bottoms[0]] } }
        aliasRoot = root
    }

    /// This net with Winograd on or off (itself when it already is); the weights are shared.
    public func prepared(winograd on: Bool) -> NCNNNet {
        on == winograd ? self : NCNNNet(file: file, fused: fusedNodes, names: fusedNames, input: inputBlob,
                                        output: outputBlob, winograd: on, blocking: blocking)
    }

    /// Memory allowed for Winograd-transformed weights per network (they take 64/9 of the 3x3
    /// weights); layers beyond it keep im2col + GEMM.
    public static let winogradBudget = 160 << 20

    /// Transforms the weights of qualifying 3x3 convolutions for Winograd, in graph order, within the budget.
    static func prepareWinograd(_ nodes: [Node]) -> [Node] {
        var used = 0
        return nodes.map { n in
            guard let conv = n.layer as? ConvolutionLayer, conv.winogradBytes > 0, used + conv.winogradBytes <= winogradBudget,
                  let w = conv.withWinograd() else { return n }
            used += conv.winogradBytes
            return Node(name: n.name, type: n.type, layer: w, bottoms: n.bottoms, tops: n.tops)
        }
    }

    /// Folds each PReLU whose input is a Convolution output read by nothing else into that convolution.
    static func fusePReLU(_ nodes: [Node], keep: Int) -> [Node] {
        var readers: [Int: [Int]] = [:]
        for (i, n) in nodes.enumerated() { for b in n.bottoms { readers[b, default: []].append(i) } }
        var out = nodes
        var removed = Set<Int>()
        for (i, n) in nodes.enumerated() {
            guard let conv = n.layer as? ConvolutionLayer, n.tops.count == 1, n.tops[0] != keep,
                  let r = readers[n.tops[0]], r.count == 1, let prelu = nodes[r[0]].layer as? PReLULayer,
                  nodes[r[0]].bottoms.count == 1,
                  prelu.slopes.count == 1 || prelu.slopes.count == conv.geometry.outChannels,
                  let fused = conv.fusing(prelu.activation) else { continue }
            out[i] = Node(name: n.name, type: n.type, layer: fused, bottoms: n.bottoms, tops: nodes[r[0]].tops)
            removed.insert(r[0])
        }
        return out.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }

    /// Runs the network on `input` and returns the output blob.
    ///
    /// With a `TensorPool` bound to the thread, layer outputs draw from it and every activation
    /// goes back to it right after its last reader ran (a `Split` group when its last alias is
    /// released), so repeated passes on one shape allocate nothing. The input is never recycled.
    /// Parallel kernels use `context`'s threads (default: one).
    public func forward(input: Tensor, context: ExecutionContext = .serial) throws -> Tensor {
        var blobs = [Tensor?](repeating: nil, count: blobNames.count)
        blobs[inputBlob] = input
        let pool = TensorPool.current
        var groupLive = [Int](repeating: 0, count: blobNames.count)
        for (i, node) in nodes.enumerated() {
            if node.type == "Input" { continue }
            var inputs: [Tensor] = []
            inputs.reserveCapacity(node.bottoms.count)
            for b in node.bottoms {
                guard let t = blobs[b] else {
                    throw ModelError.badGraph(file: file, layer: node.name, detail: "blob '\(blobNames[b])' has no value (is it an extra input?)")
                }
                inputs.append(t)
            }
            for b in node.bottoms where lastUse[b] == i { blobs[b] = nil }
            let outputs = try node.layer.forward(inputs, context: context)
            guard outputs.count == node.tops.count else {
                throw ModelError.badGraph(file: file, layer: node.name, detail: "produced \(outputs.count) outputs, the graph lists \(node.tops.count)")
            }
            for (t, v) in zip(node.tops, outputs) where lastUse[t] >= 0 || t == outputBlob {
                blobs[t] = v
                groupLive[aliasRoot[t]] += 1
            }
            if let pool {
                // The output blob is never released, so its alias group is never recycled.
                for (k, b) in node.bottoms.enumerated() where lastUse[b] == i && node.bottoms.firstIndex(of: b) == k {
                    let root = aliasRoot[b]
                    groupLive[root] -= 1
                    if groupLive[root] <= 0 && root != aliasRoot[inputBlob] {
                        pool.recycle(&inputs[k])
                    }
                }
            }
            inputs.removeAll()
        }
        guard let out = blobs[outputBlob] else {
            throw ModelError.badGraph(file: file, layer: nodes.last?.name ?? "", detail: "output blob '\(blobNames[outputBlob])' was never computed")
        }
        return out
    }

    /// Shapes of every blob for an input of shape `input` (nil for blobs not computed).
    public func blobShapes(input: BlobShape) throws -> [BlobShape?] {
        var shapes = [BlobShape?](repeating: nil, count: blobNames.count)
        shapes[inputBlob] = input
        for node in nodes where node.type != "Input" {
            var ins: [BlobShape] = []
            for b in node.bottoms {
                guard let s = shapes[b] else {
                    throw ModelError.badGraph(file: file, layer: node.name, detail: "blob '\(blobNames[b])' has no value")
                }
                ins.append(s)
            }
            let outs = try node.layer.outputShapes(ins)
            for (t, s) in zip(node.tops, outs) { shapes[t] = s }
        }
        return shapes
    }

    /// Output shape for an input of shape `input`.
    public func outputShape(input: BlobShape) throws -> BlobShape {
        guard let s = try blobShapes(input: input)[outputBlob] else {
            throw ModelError.badGraph(file: file, layer: nodes.last?.name ?? "", detail: "output blob is never computed")
        }
        return s
    }

    /// Multiply-adds of one forward pass (convolution, deconvolution, inner product) for `input`.
    public func multiplyAdds(input: BlobShape) throws -> Double {
        let shapes = try blobShapes(input: input)
        return nodes.reduce(0) { acc, n in
            acc + n.layer.multiplyAdds(n.bottoms.compactMap { shapes[$0] })
        }
    }

    /// Share of the multiply-adds for an `input`-shaped pass done by Winograd convolutions (which
    /// spread one convolution over every BLAS thread).
    public func winogradShare(input: BlobShape) -> Double {
        guard let shapes = try? blobShapes(input: input) else { return 0 }
        var all = 0.0, fast = 0.0
        for n in nodes {
            let m = n.layer.multiplyAdds(n.bottoms.compactMap { shapes[$0] })
            all += m
            if (n.layer as? ConvolutionLayer)?.winograd != nil { fast += m }
        }
        return all > 0 ? fast / all : 0
    }

    /// Receptive field of the output blob in network-input pixels.
    public var receptiveField: ReceptiveField {
        var fields = [ReceptiveField?](repeating: nil, count: blobNames.count)
        fields[inputBlob] = ReceptiveField(radius: 0, step: 1)
        for node in nodes where node.type != "Input" {
            let f = node.layer.receptiveField(node.bottoms.compactMap { fields[$0] })
            for t in node.tops { fields[t] = f }
        }
        return fields[outputBlob] ?? ReceptiveField(radius: 0, step: 1)
    }

    /// Peak bytes of live activations plus convolution scratch (im2col) during one forward pass
    /// on an input of shape `input`, following the same release schedule as `forward`.
    public func peakWorkingBytes(input: BlobShape) throws -> Double {
        let shapes = try blobShapes(input: input)
        func size(_ b: Int) -> Double { shapes[b].map { Double($0.c * $0.h * $0.w) } ?? 0 }
        var live = Set([inputBlob])
        var peak = size(inputBlob)
        for (i, node) in nodes.enumerated() where node.type != "Input" {
            var scratch = 0.0
            if let conv = node.layer as? ConvolutionLayer, let o = node.tops.first.flatMap({ shapes[$0] }) {
                let g = conv.geometry
                // im2col columns, built in row blocks of at most `Kernels.columnBufferBudget` floats.
                scratch = min(Double(g.inChannels / g.groups * g.kernelH * g.kernelW * o.h * o.w),
                              Double(Kernels.columnBufferBudget))
            }
            let outputs = node.type == "Split" ? 0 : node.tops.reduce(0) { $0 + size($1) }
            peak = max(peak, live.reduce(0) { $0 + size($1) } + outputs + scratch)
            for b in node.bottoms where lastUse[b] == i { live.remove(b) }
            if node.type == "Split" {
                // Outputs share the input's storage: count it once while any alias lives.
                if let first = node.tops.first(where: { lastUse[$0] >= 0 }) { live.insert(first) }
            } else {
                for t in node.tops where lastUse[t] >= 0 { live.insert(t) }
            }
        }
        return peak * 4
    }

    /// Number of learned values in all layers.
    public var parameterCount: Int { nodes.reduce(0) { $0 + $1.layer.parameterCount } }
}
