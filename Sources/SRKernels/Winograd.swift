#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS
import Dispatch
import SRTensor

/// Weights of a 3x3 convolution transformed once for Winograd F(6x6, 3x3): `U = G g Gᵀ` for every
/// (output, input) channel pair, stored as 64 matrices `U[ξ]` of `out x in` (ξ = row * 8 + column).
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
                        u[((r * 8 + c) * outChannels + o) * inChannels + i] = Float(v)
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
    /// Per block of output tiles: the input transform `Bᵀ d B` of every 8x8 input tile (Swift
    /// SIMD) into 64 matrices `V[ξ]` (`in x tiles`), one `cblas_sgemm` per ξ (`U[ξ] V[ξ]`), then the
    /// output transform `Aᵀ M A` with bias and activation fused, written to the output planes.
    /// Scratch comes from the thread's `TensorPool` when one is bound.
    public static func winogradConvolution(_ x: Tensor, weights wt: WinogradWeights, bias: [Float], geometry g: ConvGeometry,
                                           activation: Activation = .none, tileBlock: Int = winogradTileBlock) -> Tensor {
        precondition(WinogradWeights.applies(to: g) && x.c == wt.inChannels && g.outChannels == wt.outChannels,
                     "winograd convolution geometry")
        let (oh, ow) = g.convOutputSize(h: x.h, w: x.w)
        var out = Tensor.pooled(n: x.n, c: g.outChannels, h: max(oh, 0), w: max(ow, 0))
        if out.count == 0 || x.count == 0 { return out }
        let tilesX = (ow + 5) / 6, tilesY = (oh + 5) / 6, tiles = tilesX * tilesY
        let block = max(1, min(tileBlock, tiles))
        let ci = wt.inChannels, co = wt.outChannels
        let ld = (block + 7) / 8 * 8
        let blocks = (tiles + block - 1) / block, jobs = x.n * blocks
        // Kernels.threads workers share the blocks; each GEMM is small and runs single-threaded.
        let workers = min(max(1, Kernels.threads), max(1, jobs / 2))
        x.data.withUnsafeBufferPointer { xb in
            wt.u.withUnsafeBufferPointer { ub in
                bias.withUnsafeBufferPointer { bb in
                    out.data.withUnsafeMutableBufferPointer { ob in
                        guard let xp = xb.baseAddress, let up = ub.baseAddress, let op = ob.baseAddress else { return }
                        let job = WinogradJob(x: xp, h: x.h, w: x.w, ci: ci, co: co, u: up, out: op, oh: oh, ow: ow,
                                              tilesX: tilesX, tiles: tiles, padTop: g.padTop, padLeft: g.padLeft,
                                              padValue: g.padValue, bias: bb, activation: activation)
                        // Blocks are claimed one at a time, so a worker that loses its core to
                        // another thread (the encoder, say) leaves its share to the others.
                        let next = BlockCounter()
                        DispatchQueue.concurrentPerform(iterations: workers) { _ in
                            let v = Scratch(64 * ci * ld), m = Scratch(64 * co * ld)
                            let tmp = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 64)
                            defer { tmp.deallocate() }
                            while let k = next.claim(below: jobs) {
                                let b = k / blocks, t0 = (k % blocks) * block
                                job.run(image: b, tiles: t0..<min(tiles, t0 + block), ld: ld, v: v.base, m: m.base, tmp: tmp)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The next block index to work on, shared by the workers of one convolution.
private final class BlockCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    /// The next index, or nil once `limit` is reached.
    func claim(below limit: Int) -> Int? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// One image of one Winograd convolution: the pointers, sizes and the two tile transforms.
///
/// The transforms run on 8 tiles at once, one per SIMD lane, so that each of the 64 transformed
/// values of a channel is one contiguous 8-float store into `V[ξ]` (and one load from `M[ξ]`).
private struct WinogradJob: @unchecked Sendable {
    /// Input images, transformed weights, output images.
    let x: UnsafePointer<Float>
    let h: Int, w: Int, ci: Int, co: Int
    let u: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
    let oh: Int, ow: Int, tilesX: Int, tiles: Int
    let padTop: Int, padLeft: Int
    let padValue: Float
    let bias: UnsafeBufferPointer<Float>
    let activation: Activation

    typealias V8 = SIMD8<Float>

    /// One block of tiles of image `b`: input transform into `v`, 64 GEMMs into `m`, output
    /// transform. `tmp` holds 64 vectors (the 8x8 tile matrix being transformed, lanes = tiles).
    func run(image b: Int, tiles range: Range<Int>, ld: Int, v: UnsafeMutablePointer<Float>,
             m: UnsafeMutablePointer<Float>, tmp: UnsafeMutablePointer<V8>) {
        let nt = range.count
        inputTransform(x + b * ci * h * w, tiles: range, ld: ld, into: v, tmp: tmp)
        for xi in 0..<64 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(co), Int32(nt), Int32(ci), 1,
                        u + xi * co * ci, Int32(ci), v + xi * ci * ld, Int32(ld), 0, m + xi * co * ld, Int32(ld))
        }
        outputTransform(out + b * co * oh * ow, tiles: range, ld: ld, from: m, tmp: tmp)
    }

    /// `Bᵀ` along one index: `d(k)` is element k, results go to `put(i, value)`.
    @inline(__always)
    static func bt(_ d: (Int) -> V8, _ put: (Int, V8) -> Void) {
        let d0 = d(0), d1 = d(1), d2 = d(2), d3 = d(3), d4 = d(4), d5 = d(5), d6 = d(6), d7 = d(7)
        let t1 = d2 + d6 - d4 * 4.25, t2 = d1 + d5 - d3 * 4.25
        let t3 = d6 + d2 * 0.25 - d4 * 1.25, t4 = d1 * 0.5 - d3 * 2.5 + d5 * 2
        let t5 = d6 + (d2 - d4 * 1.25) * 4, t6 = d1 * 2 - d3 * 2.5 + d5 * 0.5
        put(0, d0 - d6 + (d4 - d2) * 5.25); put(1, t1 + t2); put(2, t1 - t2); put(3, t3 + t4)
        put(4, t3 - t4); put(5, t5 + t6); put(6, t5 - t6); put(7, d7 - d1 + (d3 - d5) * 5.25)
    }

    /// `Aᵀ` along one index: 8 elements in, 6 out.
    @inline(__always)
    static func at(_ m: (Int) -> V8, _ put: (Int, V8) -> Void) {
        let m0 = m(0), m1 = m(1), m2 = m(2), m3 = m(3), m4 = m(4), m5 = m(5), m6 = m(6), m7 = m(7)
        let t1 = m1 + m2, t2 = m1 - m2, t3 = m3 + m4, t4 = m3 - m4, t5 = m5 + m6, t6 = m5 - m6
        put(0, m0 + t1 + t3 + t5 * 32); put(1, t2 + t4 * 2 + t6 * 16); put(2, t1 + t3 * 4 + t5 * 8)
        put(3, t2 + t4 * 8 + t6 * 4); put(4, t1 + t3 * 16 + t5 * 2); put(5, m7 + t2 + t4 * 32 + t6)
    }

    /// Loads the 8x8 input windows of tiles `first ..< first + 8` (lanes past `count` repeat the
    /// last tile) of channel plane `p` into `tmp` (element r*8+c), pad value outside the plane.
    @inline(__always)
    func load(_ p: UnsafePointer<Float>, first: Int, count: Int, into tmp: UnsafeMutablePointer<V8>) {
        var iy = SIMD8<Int32>(), ix = SIMD8<Int32>()
        for k in 0..<8 {
            let t = first + min(k, count - 1)
            iy[k] = Int32((t / tilesX) * 6 - padTop); ix[k] = Int32((t % tilesX) * 6 - padLeft)
        }
        if iy.min() >= 0 && iy.max() + 8 <= Int32(h) && ix.min() >= 0 && ix.max() + 8 <= Int32(w) {
            let o = iy &* Int32(w) &+ ix
            let o0 = Int(o[0]), o1 = Int(o[1]), o2 = Int(o[2]), o3 = Int(o[3])
            let o4 = Int(o[4]), o5 = Int(o[5]), o6 = Int(o[6]), o7 = Int(o[7])
            for r in 0..<8 {
                let q = p + r * w
                for c in 0..<8 {
                    let s = q + c
                    tmp[r * 8 + c] = V8(s[o0], s[o1], s[o2], s[o3], s[o4], s[o5], s[o6], s[o7])
                }
            }
            return
        }
        for r in 0..<8 {
            for c in 0..<8 {
                var v = V8(repeating: padValue)
                for k in 0..<8 {
                    let y = Int(iy[k]) + r, xx = Int(ix[k]) + c
                    if y >= 0 && y < h && xx >= 0 && xx < w { v[k] = p[y * w + xx] }
                }
                tmp[r * 8 + c] = v
            }
        }
    }

    /// `V[ξ][c][j] = (Bᵀ d B)[ξ]` for the tiles of the block (`j` = tile - first); `ld` is the row
    /// length of each `V[ξ]` (the block size rounded up to 8).
    func inputTransform(_ x: UnsafePointer<Float>, tiles: Range<Int>, ld: Int, into v: UnsafeMutablePointer<Float>,
                        tmp: UnsafeMutablePointer<V8>) {
        let plane = h * w, xiStride = ci * ld
        for c in 0..<ci {
            let p = x + c * plane
            var j = 0
            while j < tiles.count {
                load(p, first: tiles.lowerBound + j, count: min(8, tiles.count - j), into: tmp)
                for col in 0..<8 { WinogradJob.bt({ tmp[$0 * 8 + col] }, { tmp[$0 * 8 + col] = $1 }) }
                for row in 0..<8 { WinogradJob.bt({ tmp[row * 8 + $0] }, { tmp[row * 8 + $0] = $1 }) }
                let dst = UnsafeMutableRawPointer(v + c * ld + j)
                for xi in 0..<64 { dst.storeBytes(of: tmp[xi], toByteOffset: xi * xiStride * 4, as: V8.self) }
                j += 8
            }
        }
    }

    /// Bias plus activation on 8 values of output channel `o`.
    @inline(__always)
    func finish(_ x: V8, bias: Float, slope: Float, channel o: Int) -> V8 {
        let v = x + bias
        switch activation {
        case .none: return v
        case .relu: return pointwiseMax(v, V8())
        case .leakyReLU, .prelu: return v.replacing(with: v * slope, where: v .< 0)
        case .clip(let lo, let hi): return v.clamped(lowerBound: V8(repeating: lo), upperBound: V8(repeating: hi))
        case .sigmoid:
            var r = v
            for i in 0..<8 { r[i] = 1 / (1 + expf(-v[i])) }
            return r
        }
    }

    /// `Y = Aᵀ M A` for every tile of the block and output channel, plus bias and activation.
    func outputTransform(_ out: UnsafeMutablePointer<Float>, tiles: Range<Int>, ld: Int, from m: UnsafeMutablePointer<Float>,
                         tmp: UnsafeMutablePointer<V8>) {
        let plane = oh * ow, xiStride = co * ld
        for o in 0..<co {
            let bv = Epilogue.bias(bias, o)
            var slope: Float = 0
            switch activation {
            case .leakyReLU(let s): slope = s
            case .prelu(let s): slope = s.count == 1 ? s[0] : s[o]
            default: break
            }
            let dst = out + o * plane
            var j = 0
            while j < tiles.count {
                let src = UnsafeRawPointer(m + o * ld + j)
                for xi in 0..<64 { tmp[xi] = src.load(fromByteOffset: xi * xiStride * 4, as: V8.self) }
                for col in 0..<8 { WinogradJob.at({ tmp[$0 * 8 + col] }, { tmp[$0 * 8 + col] = $1 }) }
                for row in 0..<6 {
                    WinogradJob.at({ tmp[row * 8 + $0] }, { tmp[row * 8 + $0] = finish($1, bias: bv, slope: slope, channel: o) })
                }
                let first = tiles.lowerBound + j, count = min(8, tiles.count - j)
                let oy0 = (first / tilesX) * 6, ox0 = (first % tilesX) * 6
                if count == 8 && ox0 + 48 <= ow && oy0 + 6 <= oh {
                    // Eight whole tiles side by side in one tile row: six runs of 48 outputs.
                    for r in 0..<6 {
                        let d = dst + (oy0 + r) * ow + ox0
                        let y0 = tmp[r * 8], y1 = tmp[r * 8 + 1], y2 = tmp[r * 8 + 2]
                        let y3 = tmp[r * 8 + 3], y4 = tmp[r * 8 + 4], y5 = tmp[r * 8 + 5]
                        for k in 0..<8 {
                            let q = d + 6 * k
                            q[0] = y0[k]; q[1] = y1[k]; q[2] = y2[k]; q[3] = y3[k]; q[4] = y4[k]; q[5] = y5[k]
                        }
                    }
                } else {
                    for k in 0..<count {
                        let t = first + k
                        let ty = (t / tilesX) * 6, tx = (t % tilesX) * 6
                        for r in 0..<min(6, oh - ty) {
                            let d = dst + (ty + r) * ow + tx
                            for c in 0..<min(6, ow - tx) { d[c] = tmp[r * 8 + c][k] }
                        }
                    }
                }
                j += 8
            }
        }
    }
}
