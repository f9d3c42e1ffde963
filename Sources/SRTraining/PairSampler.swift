import Foundation
import SRAutograd
import SRDegrade
import SRKernels
import SRMedia
import SRTensor

/// Draws training batches: random aligned LR/HR crops, random flips and 90° rotations, optional
/// blur, noise and JPEG compression on the LR side, or LR crops made from HR crops by the
/// random degradation model (`Degrader`). Batch `k` depends only on the seed and `k`, so a resumed run
/// sees the same data as an uninterrupted one.
public struct PairSampler: Sendable {
    /// The images.
    public let images: TrainingImages
    /// Batch size and LR crop side.
    public let batch: Int, crop: Int
    /// Degradations (see `TrainConfig`).
    public let blurSigma: ClosedRange<Float>, noiseSigma: ClosedRange<Float>, degradeProbability: Float
    /// JPEG quantizer-scale range of the JPEG degradation (nil: none).
    public let jpegQScale: ClosedRange<Int>?
    /// Seed of the whole stream.
    public let seed: UInt64
    /// The random degradation model: when set, each LR crop is made from its HR crop by it (the
    /// other degradations above are then not used).
    public let degrader: Degrader?

    /// Creates a sampler.
    public init(images: TrainingImages, batch: Int, crop: Int, seed: UInt64, blurSigma: ClosedRange<Float> = 0...0,
                noiseSigma: ClosedRange<Float> = 0...0, jpegQScale: ClosedRange<Int>? = nil, degradeProbability: Float = 0,
                degradation: DegradationConfig? = nil) {
        self.images = images; self.batch = batch; self.crop = crop; self.seed = seed
        degrader = degradation.map(Degrader.init)
        self.blurSigma = blurSigma; self.noiseSigma = noiseSigma; self.degradeProbability = degradeProbability
        self.jpegQScale = jpegQScale
    }

    /// Batch number `k`: LR `batch x 3 x crop x crop` and HR `batch x 3 x crop*s x crop*s`.
    public func batch(_ k: Int) -> (lr: Tensor, hr: Tensor) {
        var rng = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
        let s = images.scale, hc = crop * s
        var lr = Tensor(n: batch, c: 3, h: crop, w: crop), hr = Tensor(n: batch, c: 3, h: hc, w: hc)
        for b in 0..<batch {
            let pair = images.pairs[rng.below(images.pairs.count)]
            let y = rng.below(pair.lr.h - crop + 1), x = rng.below(pair.lr.w - crop + 1)
            let flip = rng.below(2) == 1, transpose = rng.below(2) == 1, vflip = rng.below(2) == 1
            var l = PairSampler.cut(pair.lr, top: y, left: x, side: crop, flip: flip, vflip: vflip, transpose: transpose)
            let h = PairSampler.cut(pair.hr, top: y * s, left: x * s, side: hc, flip: flip, vflip: vflip, transpose: transpose)
            if let d = degrader {
                l = d.degrade(h, scale: s, rng: &rng).lr
            } else if degradeProbability > 0 {
                if blurSigma.upperBound > 0 && rng.unit() < degradeProbability {
                    l = Kernels.gaussianBlur(l, sigma: blurSigma.lowerBound + rng.unit() * (blurSigma.upperBound - blurSigma.lowerBound))
                }
                if noiseSigma.upperBound > 0 && rng.unit() < degradeProbability {
                    let sigma = noiseSigma.lowerBound + rng.unit() * (noiseSigma.upperBound - noiseSigma.lowerBound)
                    l = l.map { min(max($0 + sigma * rng.normal(), 0), 1) }
                }
                if let q = jpegQScale, rng.unit() < degradeProbability {
                    // A JPEG round trip through libavcodec (the real artifacts); on failure the crop stays clean.
                    l = (try? ImageFile.jpegRoundTrip(l, qscale: q.lowerBound + rng.below(q.count))) ?? l
                }
            }
            let lp = 3 * crop * crop, hp = 3 * hc * hc
            for i in 0..<lp { lr.data[b * lp + i] = l.data[i] }
            for i in 0..<hp { hr.data[b * hp + i] = h.data[i] }
        }
        return (lr, hr)
    }

    /// A `side x side` window of a 3-plane image, flipped / transposed as asked.
    static func cut(_ t: Tensor, top: Int, left: Int, side: Int, flip: Bool, vflip: Bool, transpose: Bool) -> Tensor {
        var out = Tensor(c: 3, h: side, w: side)
        for c in 0..<3 { for y in 0..<side { for x in 0..<side {
            var sy = transpose ? x : y, sx = transpose ? y : x
            if flip { sx = side - 1 - sx }
            if vflip { sy = side - 1 - sy }
            out.data[(c * side + y) * side + x] = t.data[(c * t.h + top + sy) * t.w + left + sx]
        } } }
        return out
    }
}
