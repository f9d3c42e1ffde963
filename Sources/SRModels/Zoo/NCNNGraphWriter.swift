import SRAutograd

/// Writes a network as an ncnn `.param` text and `.bin` bytes, so that a trained architecture runs
/// through the same inference engine (Winograd, tiling, receptive field) as imported models.
///
/// Layers are appended in execution order; blob names are generated. Weights use ncnn's layout:
/// convolution weights tagged fp32 (`[out][in][kh][kw]`) then raw biases; PReLU slopes raw.
public struct NCNNGraphWriter: Sendable {
    private var lines: [String] = []
    private var blobs = 0
    private(set) var bin: [UInt8] = []

    /// Starts a graph whose input blob is `data` (3 channels).
    public init() { lines.append("Input input 0 1 data 0=0 1=0 2=3"); blobs = 1 }

    /// Declares a `channels`-channel input instead of RGB (the fusion net takes 6).
    public mutating func replaceInput(channels: Int) { lines[0] = "Input input 0 1 data 0=0 1=0 2=\(channels)" }

    /// The input blob's name.
    public var input: String { "data" }

    /// Appends a layer reading `bottoms`; returns its `tops` output blob names.
    @discardableResult
    public mutating func layer(_ type: String, _ name: String, _ bottoms: [String], tops: Int = 1, params: String = "") -> [String] {
        let out = (0..<tops).map { "\(name)_\($0)" }
        blobs += tops
        lines.append("\(type) \(name) \(bottoms.count) \(tops) \((bottoms + out).joined(separator: " "))\(params.isEmpty ? "" : " " + params)")
        return out
    }

    /// Appends raw fp32 values to the weights.
    public mutating func raw(_ values: [Float]) {
        for v in values { let b = v.bitPattern; bin += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)] }
    }

    /// A 3x3 (or `k`x`k`) stride-1 same-padded convolution with bias; returns its output blob.
    public mutating func conv(_ name: String, _ input: String, weight: [Float], bias: [Float], kernel k: Int = 3, activation: String = "") -> String {
        let params = "0=\(bias.count) 1=\(k) 4=\(k / 2) 5=1 6=\(weight.count)" + (activation.isEmpty ? "" : " " + activation)
        let top = layer("Convolution", name, [input], params: params)[0]
        raw([0]); raw(weight); raw(bias)
        return top
    }

    /// A PReLU with per-channel slopes; returns its output blob.
    public mutating func prelu(_ name: String, _ input: String, slopes: [Float]) -> String {
        let top = layer("PReLU", name, [input], params: "0=\(slopes.count)")[0]
        raw(slopes)
        return top
    }

    /// An `Interp` layer enlarging by `scale` (the added base upsampling of a residual net).
    public mutating func upsample(_ name: String, _ input: String, mode: ResampleMode, scale: Int) -> String {
        layer("Interp", name, [input], params: "0=\(mode.interpMode.rawValue) 1=\(Float(scale)) 2=\(Float(scale))")[0]
    }

    /// The `.param` text.
    public var paramText: String { "7767517\n\(lines.count) \(blobs)\n" + lines.joined(separator: "\n") + "\n" }
}
