import SRKernels
import SRTensor

/// ncnn `Crop`. Two inputs: cut the first blob to the second blob's size, starting at
/// 0 woffset, 1 hoffset, 2 coffset. One input: 3/4/5 outw/outh/outc (-233: the rest after the
/// offset; 0: the rest minus 6/7/8 woffset2/hoffset2/coffset2 at the far end).
public struct CropLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Offsets (width, height, channel).
    public let woffset: Int, hoffset: Int, coffset: Int
    let outw: Int, outh: Int, outc: Int
    let woffset2: Int, hoffset2: Int, coffset2: Int
    /// True for the two-input (reference blob) form.
    public let usesReference: Bool

    /// Channels `start ..< start + count` of one input, all rows and columns.
    public init(name: String, channels start: Int, count: Int) {
        self.name = name
        woffset = 0; hoffset = 0; coffset = start
        outw = -233; outh = -233; outc = count
        woffset2 = 0; hoffset2 = 0; coffset2 = 0
        usesReference = false
    }

    /// Reads the parameters.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 2, 3, 4, 5, 6, 7, 8])
        name = p.name
        woffset = try p.int(0, 0); hoffset = try p.int(1, 0); coffset = try p.int(2, 0)
        outw = try p.int(3, 0); outh = try p.int(4, 0); outc = try p.int(5, 0)
        woffset2 = try p.int(6, 0); hoffset2 = try p.int(7, 0); coffset2 = try p.int(8, 0)
        usesReference = p.inputCount == 2
        guard woffset >= 0, hoffset >= 0, coffset >= 0 else { throw p.unsupported("negative crop offsets are not supported") }
        guard p.inputCount == 1 || p.inputCount == 2 else { throw p.unsupported("needs 1 or 2 inputs") }
    }

    private func size(_ out: Int, _ full: Int, _ off: Int, _ off2: Int) -> Int {
        out == -233 ? full - off : (out == 0 ? full - off - off2 : out)
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, usesReference ? 2 : 1, name)
        let x = inputs[0]
        let o: BlobShape
        if usesReference {
            o = inputs[1]
        } else {
            o = BlobShape(c: size(outc, x.c, coffset, coffset2), h: size(outh, x.h, hoffset, hoffset2),
                          w: size(outw, x.w, woffset, woffset2))
        }
        guard o.c > 0, o.h > 0, o.w > 0, coffset + o.c <= x.c, hoffset + o.h <= x.h, woffset + o.w <= x.w else {
            throw ModelError.shapeMismatch(layer: name, detail: "cannot crop \(o) at offset (\(coffset), \(hoffset), \(woffset)) from \(x)")
        }
        return [o]
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        let o = try outputShapes(inputs.map(BlobShape.init))[0]
        let x = inputs[0]
        if o == BlobShape(x) { return [x] }
        return [Kernels.crop(x, channel: coffset, top: hoffset, left: woffset, c: o.c, h: o.h, w: o.w)]
    }
}

extension CropLayer: NCNNEncodable {
    public func ncnnValues() -> [Int: NCNNParamValue] {
        var v: [Int: NCNNParamValue] = [:]
        for (k, x) in [woffset, hoffset, coffset, outw, outh, outc, woffset2, hoffset2, coffset2].enumerated() where x != 0 { v[k] = .int(x) }
        return v
    }
}
