import Foundation
import SRAutograd
import SRTensor

/// The contextual loss (Mechrez et al. 2018; seed 004's fusion training): features of output and
/// target (LPIPS-AlexNet's second ReLU, so it needs `make models`) are compared as sets, not
/// position by position: cosine distances d_ij between every output feature i and target feature
/// j (both centred on the target's mean), relative distances d_ij / (min_k d_ik + 1e-5),
/// affinities exp((1 - d̃)/h) with bandwidth `h` (default 0.5), normalised over j; the loss is
/// −log of the mean over j of the best affinity over i. The minimum and the target are constants.
public struct ContextualLoss: Loss {
    public let name = "contextual"
    /// Bandwidth h.
    public let bandwidth: Float
    private let lpips: LPIPS

    /// Creates the loss; parameter `bandwidth`.
    public init(_ spec: LossSpec) throws {
        bandwidth = Float(try spec.param("bandwidth", 0.5, allowed: ["bandwidth"]))
        guard bandwidth > 0 else { throw LossError.badParameter(loss: spec.type, detail: "bandwidth must be > 0") }
        lpips = try LPIPS.load(.alex)
    }

    public func value(sr: Variable, hr: Variable) -> Variable {
        let fx = lpips.features(sr, count: 2)[1], fy = lpips.features(hr, count: 2)[1].value
        var total: Variable?
        for b in 0..<sr.n {
            let x = fx.image(b), y = fy.image(b)
            let c = y.c, m = y.h * y.w
            // Centre both on the target's mean feature.
            var mu = [Float](repeating: 0, count: c)
            for ch in 0..<c { for j in 0..<m { mu[ch] += y.data[ch * m + j] / Float(m) } }
            let yc = Variable(y).channelAffine(scale: [Float](repeating: 1, count: c), shift: mu.map { -$0 }).channelNormalized().value
            let xc = x.channelAffine(scale: [Float](repeating: 1, count: c), shift: mu.map { -$0 }).channelNormalized()
            // Target features as 1x1 filters: output channel j = cosine with target position j.
            var w = Tensor(n: m, c: c, h: 1, w: 1)
            for j in 0..<m { for ch in 0..<c { w.data[j * c + ch] = yc.data[ch * m + j] } }
            let cos = xc.conv2d(Variable(w), window: Window(kernel: 1))
            let d = (cos * -1) + 1
            var inv = d.value
            let plane = d.h * d.w
            for i in 0..<plane {
                var lo = Float.infinity
                for j in 0..<m { lo = min(lo, d.value.data[j * plane + i]) }
                for j in 0..<m { inv.data[j * plane + i] = 1 / (lo + 1e-5) }
            }
            let relative = d * Variable(inv)
            let affinity = ((relative * -1 + 1) * (1 / bandwidth)).exp().channelSumNormalized()
            let cx = affinity.spatialMax().mean()
            let term = cx.log() * -1
            total = total.map { $0 + term } ?? term
        }
        return (total ?? Variable(Tensor(n: 1, c: 1, h: 1, w: 1))) * (1 / Float(max(sr.n, 1)))
    }
}
