import SRAutograd
import SRTensor

/// Multi-scale high-frequency error-map loss (seed 000): at scales 1, 1/2, 1/4, 1/8 (weights
/// 0.4, 0.3, 0.2, 0.1), a one-level Haar DWT of output and target; the absolute differences of
/// their LH, HL and HH bands, summed over bands and channels, form an error map E (half that
/// scale's resolution, repeated to full); both images are multiplied by `floor + E / max E`
/// (the paper multiplies by the error map itself: `floor = 0`, the default) to emphasise where
/// the details are wrong, and a perceptual distance between the two weighted images is taken
/// (LPIPS-Alex for `mshf`, L1 for `mshf_l1`). The map is a constant (no gradient flows through
/// it). Scales where the image is under 32 pixels (LPIPS) are skipped, and with `renormalize = 1`
/// (the default) the weights of the scales used are divided by their sum, so the paper's
/// proportions and total hold whatever the crop. `floor = 1, renormalize = 0` is the earlier
/// form that upscale-gan-x4 was trained with.
public struct MSHFLoss: Loss {
    public let name: String
    /// The perceptual distance (nil: L1).
    public let lpips: LPIPS?
    /// Added to the normalised error map before it multiplies the images (0: the paper).
    public let floor: Float
    /// Whether the weights of the scales used are divided by their sum.
    public let renormalize: Bool
    /// Scale factors and their weights.
    public static let scales: [(factor: Int, weight: Float)] = [(1, 0.4), (2, 0.3), (4, 0.2), (8, 0.1)]

    /// Creates the loss: `mshf` (LPIPS; weights from `make models`) or `mshf_l1`.
    public init(_ spec: LossSpec) throws {
        let allowed: Set<String> = ["floor", "renormalize"]
        let f = try spec.param("floor", 0, allowed: allowed), r = try spec.param("renormalize", 1, allowed: allowed)
        guard (0...1).contains(f) else { throw LossError.badParameter(loss: spec.type, detail: "floor must be in 0...1 (got \(f))") }
        guard r == 0 || r == 1 else { throw LossError.badParameter(loss: spec.type, detail: "renormalize must be 0 or 1 (got \(r))") }
        floor = Float(f)
        renormalize = r == 1
        name = spec.type
        lpips = spec.type == "mshf_l1" ? nil : try LPIPS.load(.alex)
    }

    public func value(sr: Variable, hr: Variable) -> Variable {
        var total: Variable?
        var used: Float = 0
        for (f, weight) in MSHFLoss.scales {
            let h = sr.h / f / 2 * 2, w = sr.w / f / 2 * 2
            guard h >= 32 || (lpips == nil && h >= 2), w >= 32 || (lpips == nil && w >= 2) else { continue }
            let s = f == 1 && h == sr.h && w == sr.w ? sr : sr.interp(.bilinear, outH: h, outW: w)
            let t = f == 1 && h == hr.h && w == hr.w ? hr : hr.interp(.bilinear, outH: h, outW: w)
            let emphasis = Variable(MSHFLoss.emphasis(s.value, t.value, floor: floor))
            let ws = s * emphasis, wt = t * emphasis
            let d = lpips.map { $0.distance(ws, wt).mean() } ?? (ws - wt).abs().mean()
            let term = d * weight
            used += weight
            total = total.map { $0 + term } ?? term
        }
        guard let total else { return (sr - hr).abs().mean() }
        return renormalize ? total * (1 / used) : total
    }

    /// floor + E / max E per image, repeated over channels and 2x2 blocks (E from the Haar detail
    /// bands); `floor` everywhere where the two images have the same details.
    static func emphasis(_ a: Tensor, _ b: Tensor, floor: Float) -> Tensor {
        let hh = a.h / 2, hw = a.w / 2
        var out = Tensor(n: a.n, c: a.c, h: a.h, w: a.w, repeating: floor)
        for n in 0..<a.n {
            var e = [Float](repeating: 0, count: hh * hw)
            for c in 0..<a.c {
                for y in 0..<hh { for x in 0..<hw {
                    func bands(_ t: Tensor) -> (Float, Float, Float) {
                        let p = t[n, c, 2 * y, 2 * x], q = t[n, c, 2 * y, 2 * x + 1], r = t[n, c, 2 * y + 1, 2 * x], s = t[n, c, 2 * y + 1, 2 * x + 1]
                        return ((p - q + r - s) / 2, (p + q - r - s) / 2, (p - q - r + s) / 2)
                    }
                    let u = bands(a), v = bands(b)
                    e[y * hw + x] += Swift.abs(u.0 - v.0) + Swift.abs(u.1 - v.1) + Swift.abs(u.2 - v.2)
                } }
            }
            let m = e.max() ?? 0
            guard m > 0 else { continue }
            for c in 0..<a.c { for y in 0..<(hh * 2) { for x in 0..<(hw * 2) {
                out[n, c, y, x] = floor + e[(y / 2) * hw + x / 2] / m
            } } }
        }
        return out
    }
}
