import SRTensor

extension Kernels {
    /// Channels per block in the channel-blocked layout of Winograd chains.
    public static let channelBlock = 16

    /// `x` (planes, NCHW) rearranged channel-blocked: for each image, `[c / 16][h][w][16]`, the
    /// 16 channels of a pixel adjacent. Same shape and element count; `c` must divide by 16.
    ///
    /// Only the Winograd convolutions of a chain read and write this layout (`NCNNNet` decides
    /// which blobs are blocked); every other layer sees planes.
    public static func blockChannels(_ x: Tensor) -> Tensor {
        rearrange(x, toBlocked: true)
    }

    /// The inverse of `blockChannels`: channel-blocked data back to planes.
    public static func unblockChannels(_ x: Tensor) -> Tensor {
        rearrange(x, toBlocked: false)
    }

    private static func rearrange(_ x: Tensor, toBlocked: Bool) -> Tensor {
        let b = channelBlock
        precondition(x.c % b == 0, "channel-blocked tensors need channels divisible by \(b)")
        var out = Tensor.pooled(n: x.n, c: x.c, h: x.h, w: x.w)
        let plane = x.planeSize, groups = x.c / b
        if out.count == 0 { return out }
        x.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for img in 0..<x.n {
                    let base = img * x.c * plane
                    for g in 0..<groups {
                        let gb = base + g * b * plane
                        for k in 0..<b {
                            let planeStart = gb + k * plane
                            for p in 0..<plane {
                                if toBlocked { dst[gb + p * b + k] = src[planeStart + p] }
                                else { dst[planeStart + p] = src[gb + p * b + k] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
