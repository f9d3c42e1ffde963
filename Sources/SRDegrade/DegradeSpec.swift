import Foundation
import SRAutograd
import SRKernels
import SRMedia
import SRTensor

/// A fixed chain of degradations for evaluation (`upscale eval --degrade SPEC`), applied to the
/// LR image before any method runs: stages joined by commas, each `name:key=value[:key=value]`,
/// e.g. `h264:crf=26`, `mpeg2:q=8`, `jpeg:q=10`, `noise:sigma=5`, `noise:sigma=3:gray=1`,
/// `poisson:scale=1`, `blur:sigma=0.8`, or `blur:sigma=1,h264:crf=30`. Codecs encode the image as
/// one intra picture (4:2:0); noise is seeded (`seed=` on the stage, default 0), so a spec gives
/// the same LR every time.
public struct DegradeSpec: Sendable, Equatable, CustomStringConvertible {
    /// One stage.
    public enum Stage: Sendable, Equatable {
        case codec(CodecRoundTrip.Codec)
        case jpeg(q: Int)
        case noise(sigma: Float, gray: Bool, seed: UInt64)
        case poisson(scale: Float, gray: Bool, seed: UInt64)
        case blur(sigma: Float)
    }

    /// The stages, in order.
    public let stages: [Stage]
    /// The spec as given.
    public let text: String

    /// Reads a spec; throws one line naming the bad stage.
    public init(_ text: String) throws {
        self.text = text
        var stages: [Stage] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stage = String(raw).trimmingCharacters(in: .whitespaces)
            var parts = stage.split(separator: ":").map(String.init)
            guard !parts.isEmpty else { throw DegradeError.badSpec(stage: stage, reason: "empty stage") }
            let name = parts.removeFirst().lowercased()
            var values: [String: Double] = [:]
            for p in parts {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, let v = Double(kv[1]), v.isFinite else {
                    throw DegradeError.badSpec(stage: stage, reason: "'\(p)' is not key=number")
                }
                values[kv[0].lowercased()] = v
            }
            func take(_ key: String, _ range: ClosedRange<Double>, default d: Double? = nil) throws -> Double {
                guard let v = values.removeValue(forKey: key) ?? d else { throw DegradeError.badSpec(stage: stage, reason: "needs \(key)=N") }
                guard range.contains(v) else {
                    throw DegradeError.badSpec(stage: stage, reason: "\(key) must be within \(range.lowerBound.clean)...\(range.upperBound.clean) (got \(v.clean))")
                }
                return v
            }
            let s: Stage
            switch name {
            case "h264": s = .codec(.h264(crf: Int(try take("crf", 0...51))))
            case "mpeg2": s = .codec(.mpeg2(q: Int(try take("q", 1...31))))
            case "jpeg": s = .jpeg(q: Int(try take("q", 2...31)))
            case "noise":
                s = .noise(sigma: Float(try take("sigma", 0...100)), gray: try take("gray", 0...1, default: 0) == 1,
                           seed: UInt64(try take("seed", 0...1e9, default: 0)))
            case "poisson":
                s = .poisson(scale: Float(try take("scale", 0...10)), gray: try take("gray", 0...1, default: 0) == 1,
                             seed: UInt64(try take("seed", 0...1e9, default: 0)))
            case "blur": s = .blur(sigma: Float(try take("sigma", 0.05...10)))
            default: throw DegradeError.badSpec(stage: stage, reason: "unknown stage '\(name)'")
            }
            if let extra = values.keys.sorted().first { throw DegradeError.badSpec(stage: stage, reason: "unknown key '\(extra)'") }
            stages.append(s)
        }
        self.stages = stages
    }

    public var description: String { text }

    /// The image after every stage, rounded to 8-bit levels.
    public func apply(_ image: Tensor) throws -> Tensor {
        var x = image
        for s in stages {
            switch s {
            case .codec(let c):
                guard let y = try CodecRoundTrip.run([x], codec: c).first else { continue }
                x = y
            case .jpeg(let q): x = try ImageFile.jpegRoundTrip(x, qscale: q)
            case .noise(let sigma, let gray, let seed):
                var rng = SeededRandom(seed: seed &+ 0x5EED)
                x = Noise.gaussian(x, sigma: sigma, gray: gray, rng: &rng)
            case .poisson(let scale, let gray, let seed):
                var rng = SeededRandom(seed: seed &+ 0x5EED)
                x = Noise.poisson(x, scale: scale, gray: gray, rng: &rng)
            case .blur(let sigma):
                let r = max(1, Int((3 * sigma).rounded(.up)))
                x = BlurKernel.gaussian(size: 2 * r + 1, sigmaX: Double(sigma), sigmaY: Double(sigma)).apply(x)
            }
        }
        return Degrader.quantized(x)
    }
}

private extension Double {
    /// The number without a needless ".0".
    var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
