#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Dispatch
import SRTensor

/// Weights of a 3x3 convolution transformed once for Winograd F(6x6, 3x3): `U = G g Gᵀ` for every
/// (output, input) channel pair, stored as 64 matrices `U[ξ]` of `in x out` (ξ = row * 8 + column): the products then run as
/// plain `NoTrans x NoTrans` GEMMs, OpenBLAS's fastest small-matrix path (2-3x the `NoTrans x Trans`
/// one on SkylakeX at 32 channels).
///
/// The transform points are 0, ±1, ±2, ±1/2 and ∞ (ncnn's `winograd63` choice): products of
/// 8x8 input tiles give 6x6 output tiles with 64 multiplications instead of 324.
public struct WinogradWeights: Sendable {
    /// Output and input channels.
    public let outChannels: Int, inChannels: Int
    /// `64 * out * in` floats.
    let u: [Float]

    /// Kernel transform G (8 x 3).
    static let g: [[Double]] = [
        [1, 0, 0], [-2.0 / 9, -2.0 / 9, -2.0 / 9], [-2.0 / 9, 2.0 / 9, -2.0 / 9],
        [1.0 / 90, 1.0 / 45, 2.0 / 45], [1.0 / 90, -1.0 / 45, 2.0 / 45],
        [1.0 / 45, 1.0 / 90, 1.0 / 180], [1.0 / 45, -1.0 / 90, 1.0 / 180], [0, 0, 1],
    ]

    /// Transforms `weight` (`[out][in][3][3]`).
    public init(weight: [Float], outChannels: Int, inChannels: Int) {
        precondition(weight.count == outChannels * inChannels * 9, "winograd weights need out*in*3*3 values")
        self.outChannels = outChannels; self.inChannels = inChannels
        let g = WinogradWeights.g
        var u = [Float](repeating: 0, count: 64 * outChannels * inChannels)
        for o in 0..<outChannels {
            for i in 0..<inChannels {
                let k = (o * inChannels + i) * 9
                // tmp = G k (8 x 3), then U = tmp Gᵀ (8 x 8).
                var tmp = [Double](repeating: 0, count: 24)
                for r in 0..<8 { for c in 0..<3 { tmp[r * 3 + c] = (0..<3).reduce(0) { $0 + g[r][$1] * Double(weight[k + $1 * 3 + c]) } } }
                for r in 0..<8 {
                    for c in 0..<8 {
                        let v = (0..<3).reduce(0) { $0 + tmp[r * 3 + $1] * g[c][$1] }
                        u[((r * 8 + c) * inChannels + i) * outChannels + o] = Float(v)
                    }
                }
            }
        }
        self.u = u
    }

    /// True for convolutions this path computes: 3x3, stride 1, no dilation, one group, and
    /// enough channels for the transforms to pay off.
    public static func applies(to g: ConvGeometry) -> Bool {
        g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1 && g.dilationH == 1 && g.dilationW == 1
            && g.groups == 1 && g.inChannels >= 8 && g.outChannels >= 8
    }
}

extension Kernels {
    /// Output tiles transformed and multiplied per block, so that the input and product blocks
    /// (64 x channels x 32 floats each) stay in L2; 16 to 48 measured alike, 96 and more slower.
    public static let winogradTileBlock = 32

    /// 3x3 stride-1 convolution by Winograd F(6x6, 3x3), same meaning as `convolution`.
    ///
    /// Per block of output tiles (C kernels, `ck_winograd_tiles`, variant `isa`): the input
    /// transform `Bᵀ d B` of every 8x8 input tile with channels in the SIMD lanes into 64 matrices
    /// `Vᵀ[ξ]` (`tiles x in`), one product per ξ (`Vᵀ[ξ] U[ξ]`: our register-blocked C loop when both
    /// channel counts are at most 64 and the outputs a multiple of the lanes, where OpenBLAS's packing
    /// and zeroing cost more than the products; `cblas_sgemm` otherwise), then the output transform
    /// `Aᵀ M A` with bias and activation fused, written to the output planes. `context.threads` Dispatch
    /// workers claim blocks one at a time; each GEMM runs single-threaded. Scratch comes from the
    /// thread's `TensorPool` when one is bound. The C kernels are `context.isa`'s variant.
    ///
    /// `blockedInput` / `blockedOutput`: `x` / the result hold channel-blocked data (see
    /// `blockChannels`) instead of planes; a chain of such convolutions passes blocked tensors
    /// along and skips the register transposes and the scattered plane stores (2-3x faster
    /// transforms). Blocked sides need a channel count divisible by 16.
    public static func winogradConvolution(_ x: Tensor, weights wt: WinogradWeights, bias: [Float], geometry g: ConvGeometry,
                                           activation: Activation = .none, blockedInput: Bool = false,
                                           blockedOutput: Bool = false, tileBlock: Int = winogradTileBlock,
                                           context: ExecutionContext = .serial) -> Tensor {
        let isa = context.isa
        precondition(WinogradWeights.applies(to: g) && x.c == wt.inChannels && g.outChannels == wt.outChannels,
                     "winograd convolution geometry")
        precondition((!blockedInput || x.c % channelBlock == 0) && (!blockedOutput || g.outChannels % channelBlock == 0),
                     "blocked winograd sides need channels divisible by \(channelBlock)")
        precondition(isa.isSupported, "kernel variant \(isa) needs a CPU feature this machine lacks")
        let (oh, ow) = g.convOutputSize(h: x.h, w: x.w)
        var out = Tensor.pooled(n: x.n, c: g.outChannels, h: max(oh, 0), w: max(ow, 0))
        if out.count == 0 || x.count == 0 { return out }
        let tilesX = (ow + 5) / 6, tilesY = (oh + 5) / 6, tiles = tilesX * tilesY
        let block = max(1, min(tileBlock, tiles))
        let ci = wt.inChannels, co = wt.outChannels
        let blocks = (tiles + block - 1) / block, jobs = x.n * blocks
        let workers = min(context.threads, max(1, jobs / 2))
        var (act, slopes, lo, hi) = (CK_ACT_NONE, [Float](), Float(0), Float(0))
        switch activation {
        case .none: break
        case .relu: act = CK_ACT_RELU
        case .leakyReLU(let s): act = CK_ACT_SLOPE; slopes = [s]
        case .prelu(let s): act = CK_ACT_SLOPE; slopes = s
        case .clip(let l, let h): act = CK_ACT_CLIP; lo = l; hi = h
        case .sigmoid: act = CK_ACT_SIGMOID
        }
        x.data.withUnsafeBufferPointer { xb in
            wt.u.withUnsafeBufferPointer { ub in
                bias.withUnsafeBufferPointer { bb in
                    slopes.withUnsafeBufferPointer { sb in
                        out.data.withUnsafeMutableBufferPointer { ob in
                            guard let xp = xb.baseAddress, let up = ub.baseAddress, let op = ob.baseAddress else { return }
                            let base = ck_winograd(x: xp, h: Int32(x.h), w: Int32(x.w), ci: Int32(ci), co: Int32(co), u: up,
                                                   out: op, oh: Int32(oh), ow: Int32(ow), tiles_x: Int32(tilesX),
                                                   pad_top: Int32(g.padTop), pad_left: Int32(g.padLeft), pad_value: g.padValue,
                                                   bias: bb.isEmpty ? nil : bb.baseAddress, act: act,
                                                   slopes: sb.baseAddress, slope_count: Int32(sb.count), clip_lo: lo, clip_hi: hi,
                                                   blocked_in: blockedInput ? 1 : 0, blocked_out: blockedOutput ? 1 : 0)
                            let job = WinogradImages(base: base, inPlane: ci * x.h * x.w, outPlane: co * oh * ow)
                            let scratchCount = withUnsafePointer(to: base) { ck_winograd_scratch($0, Int32(block)) }
                            // Blocks are claimed one at a time, so a worker that loses its core to
                            // another thread (the encoder, say) leaves its share to the others.
                            let next = Locked(0)
                            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                                let scratch = Scratch(scratchCount)
                                while let k = next.claim(below: jobs) {
                                    let b = k / blocks, t0 = (k % blocks) * block
                                    job.run(image: b, first: t0, count: min(tiles, t0 + block) - t0, scratch: scratch.base, isa: isa)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The images of one Winograd convolution: the C job of image 0 and the per-image strides.
private struct WinogradImages: @unchecked Sendable {
    let base: ck_winograd
    let inPlane: Int, outPlane: Int

    /// Output tiles `first ..< first + count` of image `b`.
    func run(image b: Int, first: Int, count: Int, scratch: UnsafeMutablePointer<Float>, isa: KernelISA) {
        var job = base
        job.x = base.x + b * inPlane
        job.out = base.out + b * outPlane
        ck_winograd_tiles(&job, Int32(first), Int32(count), scratch, isa.cValue)
    }
}
