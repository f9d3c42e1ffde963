import SRKernels
import SRTensor

extension NCNNNet {
    /// Layers that work on a channel-blocked blob as on planes: their outputs have the layout of
    /// their inputs (Split aliases; channel Concat of 16-divisible blobs is a memory concatenation
    /// in both layouts; Eltwise is element by element on equal shapes; BinaryOp too, and it runs
    /// inside `BlockedBinaryOp`, which converts when its inputs broadcast).
    static func isLayoutAgnostic(_ layer: any Layer) -> Bool {
        layer is SplitLayer || layer is ConcatLayer || layer is EltwiseLayer || layer is BinaryOpLayer || layer is BlockedBinaryOp
    }

    /// Chooses the blobs that travel channel-blocked (`Kernels.blockChannels`) and marks the
    /// convolutions that write and read them.
    ///
    /// Blobs joined by layout-agnostic layers form a group that has one layout. A group is
    /// blocked when every blob has a channel count divisible by 16, is neither the network input
    /// nor the kept output, is written only by convolutions or agnostic layers, and its Winograd
    /// convolutions outnumber the conversions it needs: its other convolutions (they convert
    /// around im2col) and its blobs' other readers (each gets a `ChannelUnblock` node inserted
    /// before it, writing a plane copy named `BLOB#planes`). Every other blob stays in planes, so
    /// no layer but these ever sees a blocked tensor. Returns the nodes and the added blob names.
    static func blockChannels(_ nodes: [Node], input: Int, keep: Int, names: [String]) -> (nodes: [Node], names: [String]) {
        let blobCount = names.count
        var parent = Array(0..<blobCount)
        func find(_ b: Int) -> Int {
            var b = b
            while parent[b] != b { parent[b] = parent[parent[b]]; b = parent[b] }
            return b
        }
        var channels = [Int?](repeating: nil, count: blobCount)
        var producer = [Int?](repeating: nil, count: blobCount)
        var readers = [[Int]](repeating: [], count: blobCount)
        for (i, n) in nodes.enumerated() {
            for t in n.tops { producer[t] = i }
            for b in n.bottoms { readers[b].append(i) }
            if let conv = n.layer as? ConvolutionLayer, n.tops.count == 1 {
                channels[n.tops[0]] = conv.geometry.outChannels
            } else if isLayoutAgnostic(n.layer), let first = n.bottoms.first {
                let c: Int? = n.layer is ConcatLayer
                    ? n.bottoms.reduce(Optional(0)) { sum, b in sum.flatMap { s in channels[b].map { s + $0 } } }
                    : channels[first]
                for t in n.tops { channels[t] = c }
                for b in n.bottoms + n.tops { parent[find(b)] = find(first) }
            }
        }
        var usable = [Bool](repeating: true, count: blobCount), winograd = [Int](repeating: 0, count: blobCount)
        var other = [Int](repeating: 0, count: blobCount)
        func endpoint(_ node: Int, group r: Int, input side: Bool) {
            let n = nodes[node]
            if let conv = n.layer as? ConvolutionLayer {
                let single = side ? n.bottoms.count == 1 : n.tops.count == 1
                if !single || conv.withBlocking(input: side, output: !side) == nil { usable[r] = false }
                if conv.winograd != nil { winograd[r] += 1 } else { other[r] += 1 }
            } else if !isLayoutAgnostic(n.layer) {
                if side { other[r] += 1 } else { usable[r] = false }  // a reader converts; a writer cannot
            }
        }
        for b in 0..<blobCount {
            let r = find(b)
            guard b != input, b != keep, let c = channels[b], c % Kernels.channelBlock == 0, let p = producer[b] else {
                usable[r] = false
                continue
            }
            endpoint(p, group: r, input: false)
            for q in readers[b] { endpoint(q, group: r, input: true) }
        }
        func blocked(_ b: Int) -> Bool { let r = find(b); return usable[r] && winograd[r] > other[r] }
        var out: [Node] = [], added: [String] = [], planes: [Int: Int] = [:]
        for n in nodes {
            if let op = n.layer as? BinaryOpLayer, let b = n.bottoms.first, blocked(b) {
                out.append(Node(name: n.name, type: n.type, layer: BlockedBinaryOp(op), bottoms: n.bottoms, tops: n.tops))
                continue
            }
            if let conv = n.layer as? ConvolutionLayer {
                let bin = n.bottoms.count == 1 && blocked(n.bottoms[0]), bout = n.tops.count == 1 && blocked(n.tops[0])
                if bin || bout, let b = conv.withBlocking(input: bin, output: bout) {
                    out.append(Node(name: n.name, type: n.type, layer: b, bottoms: n.bottoms, tops: n.tops))
                } else {
                    out.append(n)
                }
                continue
            }
            if isLayoutAgnostic(n.layer) { out.append(n); continue }
            // Any other layer reads planes: give it a plane copy of each blocked input.
            var bottoms = n.bottoms
            for (k, b) in n.bottoms.enumerated() where blocked(b) {
                if let p = planes[b] { bottoms[k] = p; continue }
                let p = blobCount + added.count
                added.append(names[b] + "#planes")
                out.append(Node(name: names[b] + "#unblock", type: "ChannelUnblock", layer: ChannelUnblockLayer(), bottoms: [b], tops: [p]))
                planes[b] = p
                bottoms[k] = p
            }
            out.append(Node(name: n.name, type: n.type, layer: n.layer, bottoms: bottoms, tops: n.tops))
        }
        return (out, names + added)
    }
}

/// Converts a channel-blocked blob to planes (inserted by `NCNNNet.blockChannels`).
struct ChannelUnblockLayer: Layer {
    func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] { inputs.map(Kernels.unblockChannels) }
    func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] { inputs }
}

/// A BinaryOp inside a channel-blocked group: element by element on equal shapes (any layout);
/// when its inputs broadcast, it converts them to planes and its output back.
struct BlockedBinaryOp: Layer {
    let op: BinaryOpLayer
    init(_ op: BinaryOpLayer) { self.op = op }

    func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        guard let f = inputs.first, !inputs.allSatisfy({ $0.shape == f.shape }) else { return try op.forward(inputs, context: context) }
        return try op.forward(inputs.map(Kernels.unblockChannels), context: context).map(Kernels.blockChannels)
    }
    func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] { try op.outputShapes(inputs) }
    func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField { op.receptiveField(inputs) }
}
