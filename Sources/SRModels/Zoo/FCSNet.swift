import Foundation
import SRAutograd
import SRTensor

/// A classification-head SR net for the cross-entropy losses of seed 002: an SRVGGNetCompact-style
/// body at input resolution, a sub-pixel step to `hrFeatures` channels at output resolution, then
/// two 1x1 heads: a regression head (3 channels, added to a bicubic upsampling: the low part) and
/// a classification head of `classes` logits per colour channel.
///
/// Modes: `fcs` (the high part y - f(y) is classified into `classes` bins over
/// -`highRange`...`highRange`; output = low + E[high]) and `cs` (the whole value is classified into
/// bins over 0...1; output = E[value]). Inference takes the expectation over the softmax, exported
/// to ncnn as Crop + Softmax + a 1x1 convolution holding the bin centres.
/// In training, `forward` returns `3 + 3 * classes` channels: the low part, then the logits.
public final class FCSNet: TrainableNetwork {
    public static let architecture = "fcs_compact"
    /// Half-width of the high-part bins in `fcs` mode (pixel values are 0...1).
    public static let highRange: Float = 0.5
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// Body width and depth, output-resolution features, classes per channel, and the mode.
    public let features: Int, convs: Int, hrFeatures: Int, classes: Int, mode: String
    private let body: [(Variable, Variable, Variable)]
    private let up: (Variable, Variable, Variable)
    private let regression: (Variable, Variable), classifier: (Variable, Variable)

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "convs", "hr_features", "classes", "mode"], architecture: a)
        guard (1...8).contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 1...8 (got \(scale))") }
        features = try config.int("features", 32, 1...256, architecture: a)
        convs = try config.int("convs", 8, 0...32, architecture: a)
        hrFeatures = try config.int("hr_features", 16, 1...64, architecture: a)
        classes = try config.int("classes", 256, 2...1024, architecture: a)
        mode = try config.choice("mode", "fcs", ["fcs", "cs"], architecture: a)
        self.config = config; self.scale = scale
        var rng = SeededRandom(seed: seed), params: [NamedParameter] = []
        func add(_ name: String, _ shape: [Int], _ t: Tensor) -> Variable {
            let v = Variable(t, requiresGrad: true, name: name)
            params.append(NamedParameter(name: name, shape: shape, variable: v)); return v
        }
        let f = features, h = hrFeatures
        body = (0...convs).map { i in
            let cin = i == 0 ? 3 : f
            return (add("body.\(i).weight", [f, cin, 3, 3], Init.conv(&rng, out: f, in: cin, k: 3)),
                    add("body.\(i).bias", [f], Init.constant(f, 0)), add("body.\(i).prelu", [f], Init.constant(f, 0.25)))
        }
        up = (add("up.weight", [h * scale * scale, f, 3, 3], Init.conv(&rng, out: h * scale * scale, in: f, k: 3)),
              add("up.bias", [h * scale * scale], Init.constant(h * scale * scale, 0)), add("up.prelu", [h], Init.constant(h, 0.25)))
        regression = (add("regression.weight", [3, h, 1, 1], Init.conv(&rng, out: 3, in: h, k: 1, scale: 0.1)), add("regression.bias", [3], Init.constant(3, 0)))
        classifier = (add("classifier.weight", [3 * classes, h, 1, 1], Init.conv(&rng, out: 3 * classes, in: h, k: 1, scale: 0.1)),
                      add("classifier.bias", [3 * classes], Init.constant(3 * classes, 0)))
        parameters = params
    }

    public var summary: String { "FCSNet \(features)x\(convs) (\(mode), \(classes) classes), x\(scale)" }

    /// The bin centres of the classes.
    public var centres: [Float] {
        (0..<classes).map { k in
            let t = Float(k) / Float(classes - 1)
            return mode == "fcs" ? -Self.highRange + 2 * Self.highRange * t : t
        }
    }

    private func features(_ x: Variable) -> Variable {
        var y = x
        for (w, b, p) in body { y = y.conv2d(w, bias: b, window: Window(kernel: 3, pad: 1)).prelu(p) }
        return y.conv2d(up.0, bias: up.1, window: Window(kernel: 3, pad: 1)).pixelShuffle(scale).prelu(up.2)
    }

    public func forward(_ x: Variable, training: Bool) -> Variable {
        let hr = features(x)
        let low = hr.conv2d(regression.0, bias: regression.1, window: Window(kernel: 1)) + x.interp(.bicubic, scale: scale)
        let logits = hr.conv2d(classifier.0, bias: classifier.1, window: Window(kernel: 1))
        if training { return Variable.concat([low, logits]) }
        // Expectation over each channel's softmax.
        var out = low.value
        let l = logits.value, plane = l.h * l.w, c = centres
        for b in 0..<l.n { for ch in 0..<3 { for j in 0..<plane {
            var m = -Float.infinity
            for k in 0..<classes { m = max(m, l.data[((b * 3 + ch) * classes + k) * plane + j]) }
            var s: Float = 0, e: Float = 0
            for k in 0..<classes { let p = expf(l.data[((b * 3 + ch) * classes + k) * plane + j] - m); s += p; e += p * c[k] }
            let o = (b * 3 + ch) * plane + j
            out.data[o] = mode == "fcs" ? out.data[o] + e / s : e / s
        } } }
        return Variable(out)
    }

    public func exportNCNN() -> NCNNGraphWriter {
        var g = NCNNGraphWriter()
        let input = g.layer("Split", "split", [g.input], tops: 2)
        var y = input[0]
        for (i, (w, b, p)) in body.enumerated() {
            y = g.conv("body\(i)", y, weight: w.value.data, bias: b.value.data)
            y = g.prelu("body\(i)_prelu", y, slopes: p.value.data)
        }
        y = g.conv("up", y, weight: up.0.value.data, bias: up.1.value.data)
        y = g.layer("PixelShuffle", "shuffle", [y], params: "0=\(scale)")[0]
        y = g.prelu("up_prelu", y, slopes: up.2.value.data)
        let hs = g.layer("Split", "hr_split", [y], tops: 2)
        let logits = g.conv("classifier", hs[1], weight: classifier.0.value.data, bias: classifier.1.value.data, kernel: 1)
        let parts = g.layer("Split", "logit_split", [logits], tops: 3)
        var expectations: [String] = []
        for ch in 0..<3 {
            let slice = g.layer("Crop", "slice\(ch)", [parts[ch]], params: "2=\(ch * classes) 3=-233 4=-233 5=\(classes)")[0]
            let prob = g.layer("Softmax", "softmax\(ch)", [slice], params: "0=0 1=1")[0]
            expectations.append(g.conv("expect\(ch)", prob, weight: centres, bias: [0], kernel: 1))
        }
        let e = g.layer("Concat", "expectation", expectations, params: "0=0")[0]
        guard mode == "fcs" else { return g }
        let reg = g.conv("regression", hs[0], weight: regression.0.value.data, bias: regression.1.value.data, kernel: 1)
        let base = g.upsample("base", input[1], mode: .bicubic, scale: scale)
        let low = g.layer("BinaryOp", "low", [reg, base], params: "0=0")[0]
        g.layer("BinaryOp", "add", [low, e], params: "0=0")
        return g
    }
}
