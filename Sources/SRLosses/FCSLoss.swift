import Foundation
import SRAutograd
import SRKernels
import SRModels
import SRTensor

/// Seed 002's classification losses, for `fcs_compact` networks (whose training output is the low
/// part, then `classes` logits per colour channel).
///
/// - `fcs`: the target is split by a gaussian low-pass f (parameter `sigma`, default 1.5):
///   L2 between the predicted low part and f(y), plus the cross-entropy of the logits against the
///   high part y - f(y) quantized into the classes over ±`FCSNet.highRange`
///   (weights: 1 for the CE, `low_weight` (default 1) for the L2).
/// - `ce` (CS): the cross-entropy of the logits against y itself quantized over 0...1.
public struct FCSLoss: Loss {
    public let name: String
    /// Low-pass sigma in output pixels, and the weight of the low-part L2.
    public let sigma: Float, lowWeight: Float

    /// Creates `fcs` or `ce`.
    public init(_ spec: LossSpec) throws {
        name = spec.type
        let allowed: Set<String> = spec.type == "fcs" ? ["sigma", "low_weight"] : []
        sigma = Float(try spec.param("sigma", 1.5, allowed: allowed))
        lowWeight = Float(try spec.param("low_weight", 1, allowed: allowed))
        guard sigma > 0 else { throw LossError.badParameter(loss: spec.type, detail: "sigma must be > 0") }
    }

    public func value(sr: Variable, hr: Variable) -> Variable {
        let classes = (sr.c - 3) / 3
        precondition(classes >= 2 && sr.c == 3 + 3 * classes, "\(name): the network must be fcs_compact (got \(sr.c) channels)")
        let low = sr.crop(channel: 0, c: 3, top: 0, left: 0, h: sr.h, w: sr.w)
        let logits = sr.crop(channel: 3, c: 3 * classes, top: 0, left: 0, h: sr.h, w: sr.w)
        let y = hr.value
        guard name == "fcs" else {
            let t = y.data.map { Int32(min(max(($0 * Float(classes - 1)).rounded(), 0), Float(classes - 1))) }
            return logits.crossEntropy(targets: t, classes: classes)
        }
        let f = Kernels.gaussianBlur(y, sigma: sigma)
        let r = FCSNet.highRange
        let t = zip(y.data, f.data).map { v, l in
            Int32(min(max(((v - l + r) / (2 * r) * Float(classes - 1)).rounded(), 0), Float(classes - 1)))
        }
        return logits.crossEntropy(targets: t, classes: classes) + (low - Variable(f)).square().mean() * lowWeight
    }
}
