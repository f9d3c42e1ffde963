import SRTensor

/// Max pooling (no padding, floor mode, as PyTorch's `MaxPool2d` and flax's VALID `max_pool`).
extension Variable {
    /// The maximum of each `kernel x kernel` window, windows `stride` apart.
    public func maxPool(kernel k: Int, stride s: Int) -> Variable {
        let x = value, oh = (x.h - k) / s + 1, ow = (x.w - k) / s + 1
        precondition(oh > 0 && ow > 0, "maxPool: input \(x.h)x\(x.w) is smaller than the \(k)x\(k) window")
        var y = Tensor(n: x.n, c: x.c, h: oh, w: ow)
        var argmax = [Int32](repeating: 0, count: y.count)
        x.data.withUnsafeBufferPointer { xp in
            for p in 0..<(x.n * x.c) {
                let base = p * x.h * x.w
                for oy in 0..<oh { for ox in 0..<ow {
                    var best = -Float.infinity, at = 0
                    for ky in 0..<k { for kx in 0..<k {
                        let i = base + (oy * s + ky) * x.w + ox * s + kx
                        if xp[i] > best { best = xp[i]; at = i }
                    } }
                    let o = (p * oh + oy) * ow + ox
                    y.data[o] = best; argmax[o] = Int32(at)
                } }
            }
        }
        return Variable(y, op: "max_pool", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            for o in 0..<g.count { dx.data[Int(argmax[o])] += g.data[o] }
            return [dx]
        }
    }

    /// Each pixel's channel vector divided by its L2 norm plus `eps` (LPIPS's `normalize_tensor`).
    public func channelNormalized(eps: Float = 1e-10) -> Variable {
        let x = value, plane = x.h * x.w
        var norms = [Float](repeating: 0, count: x.n * plane), y = x
        for b in 0..<x.n {
            for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { norms[b * plane + j] += x.data[base + j] * x.data[base + j] } }
            for j in 0..<plane { norms[b * plane + j] = norms[b * plane + j].squareRoot() }
            for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { y.data[base + j] /= norms[b * plane + j] + eps } }
        }
        return Variable(y, op: "channel_normalize", parents: [self]) { g in
            var dx = g
            var dots = [Float](repeating: 0, count: plane)
            for b in 0..<x.n {
                for j in 0..<plane { dots[j] = 0 }
                for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { dots[j] += g.data[base + j] * x.data[base + j] } }
                for c in 0..<x.c {
                    let base = (b * x.c + c) * plane
                    for j in 0..<plane {
                        let n = norms[b * plane + j], d = n + eps
                        let k = n > 0 ? dots[j] / (d * d * n) : 0
                        dx.data[base + j] = g.data[base + j] / d - x.data[base + j] * k
                    }
                }
            }
            return [dx]
        }
    }

    /// The mean over rows and columns of each image and channel, as `n x c x 1 x 1`.
    public func spatialMean() -> Variable {
        let x = value, plane = x.h * x.w
        var y = Tensor(n: x.n, c: x.c, h: 1, w: 1)
        for i in 0..<(x.n * x.c) { var s: Float = 0; for j in 0..<plane { s += x.data[i * plane + j] }; y.data[i] = s / Float(plane) }
        return Variable(y, op: "spatial_mean", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            for i in 0..<(x.n * x.c) { let v = g.data[i] / Float(plane); for j in 0..<plane { dx.data[i * plane + j] = v } }
            return [dx]
        }
    }

    /// Per-channel affine map `x * scale[c] + shift[c]` with constant coefficients.
    public func channelAffine(scale: [Float], shift: [Float]) -> Variable {
        let x = value, plane = x.h * x.w
        precondition(scale.count == x.c && shift.count == x.c, "channelAffine: \(x.c) channels")
        var y = x
        for b in 0..<x.n { for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { y.data[base + j] = y.data[base + j] * scale[c] + shift[c] } } }
        return Variable(y, op: "channel_affine", parents: [self]) { g in
            var dx = g
            for b in 0..<x.n { for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { dx.data[base + j] *= scale[c] } } }
            return [dx]
        }
    }

    /// Each pixel's channel vector divided by its sum (positive inputs).
    public func channelSumNormalized() -> Variable {
        let x = value, plane = x.h * x.w
        var sums = [Float](repeating: 0, count: x.n * plane), y = x
        for b in 0..<x.n {
            for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { sums[b * plane + j] += x.data[base + j] } }
            for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { y.data[base + j] /= sums[b * plane + j] } }
        }
        return Variable(y, op: "channel_sum_normalize", parents: [self]) { g in
            var dx = g, dots = [Float](repeating: 0, count: plane)
            for b in 0..<x.n {
                for j in 0..<plane { dots[j] = 0 }
                for c in 0..<x.c { let base = (b * x.c + c) * plane; for j in 0..<plane { dots[j] += g.data[base + j] * x.data[base + j] } }
                for c in 0..<x.c {
                    let base = (b * x.c + c) * plane
                    for j in 0..<plane { let s = sums[b * plane + j]; dx.data[base + j] = g.data[base + j] / s - dots[j] / (s * s) }
                }
            }
            return [dx]
        }
    }

    /// The maximum over rows and columns of each image and channel, as `n x c x 1 x 1`.
    public func spatialMax() -> Variable {
        let x = value, plane = x.h * x.w
        var y = Tensor(n: x.n, c: x.c, h: 1, w: 1), at = [Int](repeating: 0, count: x.n * x.c)
        for i in 0..<(x.n * x.c) {
            var best = -Float.infinity
            for j in 0..<plane where x.data[i * plane + j] > best { best = x.data[i * plane + j]; at[i] = i * plane + j }
            y.data[i] = best
        }
        return Variable(y, op: "spatial_max", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            for i in 0..<(x.n * x.c) { dx.data[at[i]] = g.data[i] }
            return [dx]
        }
    }

    /// Image `b` of the batch.
    public func image(_ b: Int) -> Variable {
        let x = value, size = x.c * x.h * x.w
        return Variable(x.image(b), op: "image", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            for i in 0..<size { dx.data[b * size + i] = g.data[i] }
            return [dx]
        }
    }
}
