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
/// bins over 0...1; output = the value), and `regression` (the low part alone, no classifier: the
/// same backbone as a plain regression baseline, trained with L1). `inference`: `class` (default, as the paper: each colour
/// channel takes the centre of its most likely bin, exported as Crop + ClassValue) or
/// `expectation` (the mean over the softmax, Crop + Softmax + a 1x1 convolution of the centres,
/// which averages back towards the blurred regression the classification avoids).
/// In training, `forward` returns `3 + 3 * classes` channels: the low part, then the logits (in
/// `regression` mode the 3 channels of the low part).
public final class FCSNet: TrainableNetwork {
    public static let architecture = "fcs_compact"
    /// Half-width of the high-part bins in `fcs` mode (pixel values are 0...1).
    public static let highRange: Float = 0.5
    public let config: ArchitectureConfig
    public let scale: Int
    public let parameters: [NamedParameter]
    /// Body width and depth, output-resolution features, classes per channel, and the mode.
    public let features: Int, convs: Int, hrFeatures: Int, classes: Int, mode: String
    /// How the classification output becomes a value: `class` or `expectation`.
    public let inference: String
    private let body: [(Variable, Variable, Variable)]
    private let up: (Variable, Variable, Variable)
    private let regression: (Variable, Variable), classifier: (Variable, Variable)?

    public init(config: ArchitectureConfig, scale: Int, seed: UInt64) throws {
        let a = Self.architecture
        try config.only(["features", "convs", "hr_features", "classes", "mode", "inference"], architecture: a)
        guard (1...8).contains(scale) else { throw ModelError.badArchitecture("\(a): scale must be 1...8 (got \(scale))") }
        features = try config.int("features", 32, 1...256, architecture: a)
        convs = try config.int("convs", 8, 0...32, architecture: a)
        hrFeatures = try config.int("hr_features", 16, 1...64, architecture: a)
        classes = try config.int("classes", 256, 2...1024, architecture: a)
        mode = try config.choice("mode", "fcs", ["fcs", "cs", "regression"], architecture: a)
        inference = try config.choice("inference", "class", ["class", "expectation"], architecture: a)
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
        classifier = mode == "regression" ? nil : (add("classifier.weight", [3 * classes, h, 1, 1], Init.conv(&rng, out: 3 * classes, in: h, k: 1, scale: 0.1)),
                      add("classifier.bias", [3 * classes], Init.constant(3 * classes, 0)))
        parameters = params
    }

    public var summary: String {
        "FCSNet \(features)x\(convs) (\(mode == "regression" ? "regression" : "\(mode), \(classes) classes, \(inference)")), x\(scale)"
    }

    /// The bin centres of the classes.
    public var centres: [Float] {
        (0..<classes).map { k in
            let t = Float(k) / Float(classes - 1)
            return mode == "fcs" ? -Self.highRange + 2 * Self.highRange * t : t
        }
    }

    public func graph() -> LayerGraph {
        var g = LayerGraph()
        var y = g.input
        for (i, (w, b, p)) in body.enumerated() { y = g.add("body\(i)_prelu", .prelu(slopes: p), g.conv("body\(i)", y, w, b)) }
        y = g.add("up_prelu", .prelu(slopes: up.2), g.add("shuffle", .pixelShuffle(factor: scale), g.conv("up", y, up.0, up.1)))
        let base = g.add("base", .interp(.bicubic, scale: scale), g.input)
        let low = g.add("low", .add, g.conv("regression", y, regression.0, regression.1, kernel: 1), base)
        guard let classifier else {
            g.setOutput(low)
            return g
        }
        let logits = g.conv("classifier", y, classifier.0, classifier.1, kernel: 1)
        // Inference: each colour channel's chosen class, or the expectation over its softmax (a 1x1
        // conv of the centres).
        let centres = Variable(Tensor(n: 1, c: classes, h: 1, w: 1, data: self.centres)), zero = Variable(Tensor(c: 1, h: 1, w: 1))
        let expectations = (0..<3).map { ch in
            let slice = g.add("slice\(ch)", .sliceChannels(start: ch * classes, count: classes), logits)
            if inference == "class" { return g.add("class\(ch)", .classValue(values: self.centres), slice) }
            return g.conv("expect\(ch)", g.add("softmax\(ch)", .softmaxChannels, slice), centres, zero, kernel: 1)
        }
        let e = g.append("expectation", .concat, expectations)
        let training = g.add("train_output", .concat, low, logits)
        g.setOutput(mode == "fcs" ? g.add("add", .add, low, e) : e, training: training)
        return g
    }
}
