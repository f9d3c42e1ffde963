import SRKernels
import SRTensor

/// ncnn `Deconvolution`: 2-D transposed convolution with bias and a fused activation.
///
/// Parameters as `Convolution` plus 18/19 output_pad right/bottom and 20/21 output_w/h
/// (with padding -233/-234 the full output is cut to that size, SAME_UPPER/SAME_LOWER).
/// Weights `[out][in][kh][kw]` (tagged), then `num_output` raw fp32 biases.
public struct DeconvolutionLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Geometry with fixed padding.
    public let geometry: ConvGeometry
    let pad: (left: Int, right: Int, top: Int, bottom: Int)
    let outputW: Int, outputH: Int
    /// Weights `[out][in][kh][kw]`.
    public let weight: [Float]
    /// One bias per output channel, or empty.
    public let bias: [Float]
    /// Activation applied after the bias.
    public let activation: Activation

    /// A transposed convolution of `geometry` (fixed padding and output padding), weights
    /// `[out][in][kh][kw]` as ncnn stores them, bias (or empty), activation; `outputW`/`outputH`
    /// force the output size (0: from the geometry).
    public init(name: String, geometry: ConvGeometry, weight: [Float], bias: [Float], activation: Activation,
                outputW: Int = 0, outputH: Int = 0) {
        self.init(name: name, geometry: geometry, pad: (geometry.padLeft, geometry.padRight, geometry.padTop, geometry.padBottom),
                  outputW: outputW, outputH: outputH, weight: weight, bias: bias, activation: activation)
    }

    private init(name: String, geometry: ConvGeometry, pad: (left: Int, right: Int, top: Int, bottom: Int), outputW: Int, outputH: Int,
                 weight: [Float], bias: [Float], activation: Activation) {
        self.name = name; self.geometry = geometry; self.pad = pad; self.outputW = outputW; self.outputH = outputH
        self.weight = weight; self.bias = bias; self.activation = activation
    }

    /// Loads the layer from its parameters and the weight cursor.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try p.requireKeys([0, 1, 11, 2, 12, 3, 13, 4, 14, 15, 16, 5, 6, 9, 10, 18, 19, 20, 21])
        name = p.name
        let outC = try p.int(0, 0), kw = try p.int(1, 0), kh = try p.int(11, kw)
        let dw = try p.int(2, 1), dh = try p.int(12, dw), sw = try p.int(3, 1), sh = try p.int(13, sw)
        let size = try p.int(6, 0)
        guard outC > 0, kw > 0, kh > 0, dw > 0, dh > 0, sw > 0, sh > 0 else {
            throw p.shapeError("invalid deconvolution geometry (num_output \(outC), kernel \(kw)x\(kh))")
        }
        guard size > 0, size % (outC * kh * kw) == 0 else {
            throw p.shapeError("weight_data_size \(size) is not num_output*in_channels*kernel_h*kernel_w "
                               + "(num_output \(outC), kernel \(kw)x\(kh))")
        }
        var g = ConvGeometry(inChannels: size / (outC * kh * kw), outChannels: outC, kernel: kw)
        g.kernelH = kh; g.dilationW = dw; g.dilationH = dh; g.strideW = sw; g.strideH = sh
        pad = try p.padding()
        for v in [pad.left, pad.right, pad.top, pad.bottom] where v < 0 && v != -233 && v != -234 {
            throw p.unsupported("padding \(v) is not supported (use >= 0, -233 or -234)")
        }
        g.padLeft = max(pad.left, 0); g.padRight = max(pad.right, 0)
        g.padTop = max(pad.top, 0); g.padBottom = max(pad.bottom, 0)
        g.outputPadRight = try p.int(18, 0); g.outputPadBottom = try p.int(19, g.outputPadRight)
        outputW = try p.int(20, 0); outputH = try p.int(21, outputW)
        geometry = g
        activation = try p.activation()
        bin.begin(layer: p.name, type: p.type)
        weight = try bin.readTagged(count: size)
        bias = try p.int(5, 0) != 0 ? bin.readRaw(count: outC) : []
    }

    /// The geometry for an `h x w` input, with the output-size cut resolved as ncnn does.
    func resolvedGeometry(h: Int, w: Int) -> ConvGeometry {
        var g = geometry
        let explicit = pad.left > 0 || pad.right > 0 || pad.top > 0 || pad.bottom > 0
        guard !explicit, outputW > 0, outputH > 0 else { return g }
        let all = [pad.left, pad.right, pad.top, pad.bottom]
        let upper = all.contains(-233), lower = all.contains(-234)
        guard upper || lower else { return g }
        let ekw = g.dilationW * (g.kernelW - 1) + 1, ekh = g.dilationH * (g.kernelH - 1) + 1
        let wcut = (w - 1) * g.strideW + ekw + g.outputPadRight - outputW
        let hcut = (h - 1) * g.strideH + ekh + g.outputPadBottom - outputH
        g.padLeft = upper ? wcut / 2 : wcut - wcut / 2; g.padRight = wcut - g.padLeft
        g.padTop = upper ? hcut / 2 : hcut - hcut / 2; g.padBottom = hcut - g.padTop
        return g
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        let x = inputs[0]
        _ = try outputShapes([BlobShape(x)])
        let g = resolvedGeometry(h: x.h, w: x.w)
        return [Kernels.deconvolution(x, weight: weight, bias: bias, geometry: g, activation: activation, context: context)]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        try LayerCheck.channels(inputs[0].c, geometry.inChannels, name)
        let g = resolvedGeometry(h: inputs[0].h, w: inputs[0].w)
        let o = g.deconvOutputSize(h: inputs[0].h, w: inputs[0].w)
        guard o.h > 0, o.w > 0 else {
            throw ModelError.shapeMismatch(layer: name, detail: "padding removes the whole \(inputs[0].h)x\(inputs[0].w) output")
        }
        return [BlobShape(c: geometry.outChannels, h: o.h, w: o.w)]
    }

    public func multiplyAdds(_ inputs: [BlobShape]) -> Double {
        guard let i = inputs.first else { return 0 }
        let g = geometry
        return Double(i.c * i.h * i.w) * Double(g.outChannels * g.kernelH * g.kernelW)
    }

    public var parameterCount: Int { weight.count + bias.count }

    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        let g = geometry, f = inputs.first ?? ReceptiveField(radius: 0, step: 1)
        let extent = max(g.dilationH * (g.kernelH - 1), g.dilationW * (g.kernelW - 1)) + 1
        let step = f.step / Double(max(g.strideH, g.strideW))
        return ReceptiveField(radius: f.radius + Double(extent - 1) / 2 * step, step: step)
    }
}

extension DeconvolutionLayer: NCNNEncodable {
    /// The ncnn keys of this deconvolution (the inverse of `init(_:_:)`).
    public func ncnnValues() throws -> [Int: NCNNParamValue] {
        var v = try NCNNConvolutionKeys.values(geometry, pad: pad, hasBias: !bias.isEmpty, weights: weight.count,
                                               activation: activation, layer: name)
        let g = geometry
        if g.outputPadRight != 0 { v[18] = .int(g.outputPadRight) }
        if g.outputPadBottom != g.outputPadRight { v[19] = .int(g.outputPadBottom) }
        if outputW != 0 { v[20] = .int(outputW) }
        if outputH != outputW { v[21] = .int(outputH) }
        return v
    }

    public func ncnnWeights(_ bin: inout NCNNWeights) {
        bin.tagged(weight)
        bin.raw(bias)
    }
}
