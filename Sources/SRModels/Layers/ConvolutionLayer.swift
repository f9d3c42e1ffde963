import SRKernels
import SRTensor

/// ncnn `Convolution`: 2-D convolution with bias and a fused activation.
///
/// Parameters: 0 num_output, 1/11 kernel w/h, 2/12 dilation, 3/13 stride, 4/15/14/16 padding
/// left/right/top/bottom (-233 SAME_UPPER, -234 SAME_LOWER), 18 pad_value, 5 bias_term,
/// 6 weight_data_size, 8 int8_scale_term (must be 0), 9/10 activation, 17 impl_type (ignored).
/// Weights `[out][in][kh][kw]` (tagged), then `num_output` raw fp32 biases.
public struct ConvolutionLayer: Layer {
    /// Name for messages.
    public let name: String
    /// Geometry with the fixed padding (dynamic SAME padding is resolved per input).
    public let geometry: ConvGeometry
    /// Raw ncnn padding values (left, right, top, bottom), negative for SAME modes.
    let pad: (left: Int, right: Int, top: Int, bottom: Int)
    /// Weights `[out][in/groups][kh][kw]`.
    public let weight: [Float]
    /// One bias per output channel, or empty.
    public let bias: [Float]
    /// Activation applied after the bias.
    public let activation: Activation
    /// Weights transformed for Winograd F(6x6, 3x3), when this layer takes that path.
    public private(set) var winograd: WinogradWeights?
    /// The input / output blob is channel-blocked (`Kernels.blockChannels`): set by `NCNNNet` on
    /// the Winograd convolutions of a chain, whose blobs only they read.
    public private(set) var blockedInput = false, blockedOutput = false

    /// A convolution of `geometry` (fixed padding), weights `[out][in/groups][kh][kw]`, one bias
    /// per output channel (or none) and a fused activation.
    public init(name: String, geometry: ConvGeometry, weight: [Float], bias: [Float], activation: Activation) {
        self.init(name: name, geometry: geometry, pad: (geometry.padLeft, geometry.padRight, geometry.padTop, geometry.padBottom),
                  weight: weight, bias: bias, activation: activation)
    }

    private init(name: String, geometry: ConvGeometry, pad: (left: Int, right: Int, top: Int, bottom: Int), weight: [Float],
                 bias: [Float], activation: Activation) {
        self.name = name; self.geometry = geometry; self.pad = pad
        self.weight = weight; self.bias = bias; self.activation = activation
    }

    /// Loads the layer from its parameters and the weight cursor.
    public init(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws {
        try self.init(p, bin, groupKey: false)
    }

    init(_ p: NCNNLayerParams, _ bin: NCNNModelBin, groupKey: Bool) throws {
        try p.requireKeys(Set([0, 1, 11, 2, 12, 3, 13, 4, 14, 15, 16, 18, 5, 6, 8, 9, 10, 17] + (groupKey ? [7] : [])))
        let outC = try p.int(0, 0), kw = try p.int(1, 0), kh = try p.int(11, kw)
        let dw = try p.int(2, 1), dh = try p.int(12, dw), sw = try p.int(3, 1), sh = try p.int(13, sw)
        let groups = groupKey ? try p.int(7, 1) : 1
        let size = try p.int(6, 0)
        guard try p.int(8, 0) == 0 else { throw p.unsupported("int8 quantized convolution is not supported") }
        guard outC > 0, kw > 0, kh > 0, dw > 0, dh > 0, sw > 0, sh > 0, groups > 0, outC % groups == 0 else {
            throw p.shapeError("invalid convolution geometry (num_output \(outC), kernel \(kw)x\(kh), group \(groups))")
        }
        guard size > 0, size % (outC / groups * kh * kw) == 0 else {
            throw p.shapeError("weight_data_size \(size) is not num_output*in_channels/groups*kernel_h*kernel_w "
                               + "(num_output \(outC), kernel \(kw)x\(kh), group \(groups))")
        }
        let inC = size / (outC / groups * kh * kw)
        var g = ConvGeometry(inChannels: inC, outChannels: outC, kernel: kw, groups: groups)
        g.kernelH = kh; g.dilationW = dw; g.dilationH = dh; g.strideW = sw; g.strideH = sh
        let pad = try p.padding()
        for v in [pad.left, pad.right, pad.top, pad.bottom] where v < 0 && v != -233 && v != -234 {
            throw p.unsupported("padding \(v) is not supported (use >= 0, -233 or -234)")
        }
        g.padLeft = max(pad.left, 0); g.padRight = max(pad.right, 0)
        g.padTop = max(pad.top, 0); g.padBottom = max(pad.bottom, 0)
        g.padValue = try p.float(18, 0)
        let activation = try p.activation()
        bin.begin(layer: p.name, type: p.type)
        let weight = try bin.readTagged(count: size)
        let bias = try p.int(5, 0) != 0 ? bin.readRaw(count: outC) : []
        self.init(name: p.name, geometry: g, pad: pad, weight: weight, bias: bias, activation: activation)
    }

    private init(copy: ConvolutionLayer, activation: Activation) {
        name = copy.name; geometry = copy.geometry; pad = copy.pad
        weight = copy.weight; bias = copy.bias; self.activation = activation; winograd = copy.winograd
        blockedInput = copy.blockedInput; blockedOutput = copy.blockedOutput
    }

    /// This layer reading and/or writing channel-blocked blobs, or nil when a blocked side's
    /// channel count does not divide by 16. The Winograd path reads and writes them directly;
    /// the others convert around the plain convolution.
    public func withBlocking(input: Bool, output: Bool) -> ConvolutionLayer? {
        let b = Kernels.channelBlock
        guard !input || geometry.inChannels % b == 0, !output || geometry.outChannels % b == 0 else { return nil }
        var copy = self
        copy.blockedInput = input
        copy.blockedOutput = output
        return copy
    }

    /// This layer with its weights transformed for Winograd, or nil when it does not qualify.
    public func withWinograd() -> ConvolutionLayer? {
        guard winograd == nil, WinogradWeights.applies(to: geometry) else { return nil }
        var copy = self
        copy.winograd = WinogradWeights(weight: weight, outChannels: geometry.outChannels, inChannels: geometry.inChannels)
        return copy
    }

    /// Bytes the Winograd weights would take (64/9 of the 3x3 weights).
    public var winogradBytes: Int { WinogradWeights.applies(to: geometry) ? weight.count * 64 / 9 * 4 : 0 }

    /// This layer with `act` fused after it, or nil when it already has an activation.
    public func fusing(_ act: Activation) -> ConvolutionLayer? {
        activation == .none ? ConvolutionLayer(copy: self, activation: act) : nil
    }

    /// The geometry for an `h x w` input, with SAME padding resolved as ncnn does.
    func resolvedGeometry(h: Int, w: Int) -> ConvGeometry {
        var g = geometry
        let mode = [pad.left, pad.right, pad.top, pad.bottom]
        guard mode.allSatisfy({ $0 == -233 }) || mode.allSatisfy({ $0 == -234 }) else { return g }
        let ekw = g.dilationW * (g.kernelW - 1) + 1, ekh = g.dilationH * (g.kernelH - 1) + 1
        let wpad = max(ekw + (w - 1) / g.strideW * g.strideW - w, 0)
        let hpad = max(ekh + (h - 1) / g.strideH * g.strideH - h, 0)
        let upper = pad.left == -233
        g.padLeft = upper ? wpad / 2 : wpad - wpad / 2; g.padRight = wpad - g.padLeft
        g.padTop = upper ? hpad / 2 : hpad - hpad / 2; g.padBottom = hpad - g.padTop
        return g
    }

    public func forward(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
        try LayerCheck.count(inputs, 1, name)
        let x = inputs[0]
        _ = try outputShapes([BlobShape(x)])
        let g = resolvedGeometry(h: x.h, w: x.w)
        // Winograd from a 12x12 output up (4 tiles); smaller planes gain nothing from the transforms.
        if let winograd, x.h + g.padTop + g.padBottom >= 14, x.w + g.padLeft + g.padRight >= 14 {
            return [Kernels.winogradConvolution(x, weights: winograd, bias: bias, geometry: g, activation: activation,
                                                blockedInput: blockedInput, blockedOutput: blockedOutput, context: context)]
        }
        let planes = blockedInput ? Kernels.unblockChannels(x) : x
        let y = Kernels.convolution(planes, weight: weight, bias: bias, geometry: g, activation: activation, context: context)
        return [blockedOutput ? Kernels.blockChannels(y) : y]
    }

    public func outputShapes(_ inputs: [BlobShape]) throws -> [BlobShape] {
        try LayerCheck.count(inputs, 1, name)
        try LayerCheck.channels(inputs[0].c, geometry.inChannels, name)
        let g = resolvedGeometry(h: inputs[0].h, w: inputs[0].w)
        let o = g.convOutputSize(h: inputs[0].h, w: inputs[0].w)
        guard o.h > 0, o.w > 0 else {
            throw ModelError.shapeMismatch(layer: name, detail: "input \(inputs[0].h)x\(inputs[0].w) is smaller than the kernel")
        }
        return [BlobShape(c: geometry.outChannels, h: o.h, w: o.w)]
    }

    public func multiplyAdds(_ inputs: [BlobShape]) -> Double {
        guard let out = try? outputShapes(inputs).first else { return 0 }
        let g = geometry
        return Double(out.c * out.h * out.w) * Double(g.inChannels / g.groups * g.kernelH * g.kernelW)
    }

    public var parameterCount: Int {
        if case .prelu(let s) = activation { return weight.count + bias.count + s.count }
        return weight.count + bias.count
    }

    public func receptiveField(_ inputs: [ReceptiveField]) -> ReceptiveField {
        let g = geometry, f = inputs.first ?? ReceptiveField(radius: 0, step: 1)
        let extent = max(g.dilationH * (g.kernelH - 1), g.dilationW * (g.kernelW - 1)) + 1
        return f.window(extent: extent, stride: max(g.strideH, g.strideW))
    }
}

extension ConvolutionLayer: NCNNEncodable {
    /// The ncnn keys of this convolution (the inverse of `init(_:_:)`); a fused PReLU has none.
    public func ncnnValues() throws -> [Int: NCNNParamValue] {
        var v = try NCNNConvolutionKeys.values(geometry, pad: pad, hasBias: !bias.isEmpty, weights: weight.count,
                                               activation: activation, layer: name)
        if geometry.padValue != 0 { v[18] = .float(geometry.padValue) }
        if geometry.groups != 1 { v[7] = .int(geometry.groups) }
        return v
    }

    public func ncnnWeights(_ bin: inout NCNNWeights) {
        bin.tagged(weight)
        bin.raw(bias)
    }
}
