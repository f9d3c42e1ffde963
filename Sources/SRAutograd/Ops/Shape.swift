import SRKernels
import SRTensor

/// Pixel shuffle, channel concatenation and cropping.
extension Variable {
    /// Depth to space: `C*r*r x H x W` becomes `C x rH x rW` (PyTorch's order, as ncnn's default).
    public func pixelShuffle(_ r: Int) -> Variable {
        let x = value
        precondition(x.c % (r * r) == 0, "pixelShuffle: \(x.c) channels are not a multiple of \(r * r)")
        let oc = x.c / (r * r), oh = x.h * r, ow = x.w * r
        func forEach(_ body: (Int, Int) -> Void) {   // (input index, output index)
            for b in 0..<x.n { for c in 0..<oc { for i in 0..<r { for j in 0..<r {
                let ic = c * r * r + i * r + j
                for y in 0..<x.h { for xx in 0..<x.w {
                    body(((b * x.c + ic) * x.h + y) * x.w + xx, ((b * oc + c) * oh + y * r + i) * ow + xx * r + j)
                } }
            } } } }
        }
        var out = Tensor(n: x.n, c: oc, h: oh, w: ow)
        forEach { s, d in out.data[d] = x.data[s] }
        return Variable(out, op: "pixel_shuffle", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            forEach { s, d in dx.data[s] = g.data[d] }
            return [dx]
        }
    }

    /// Concatenates along channels (equal n, h, w).
    public static func concat(_ parts: [Variable]) -> Variable {
        precondition(!parts.isEmpty, "concat of nothing")
        let values = parts.map(\.value)
        let out = Kernels.concatChannels(values)
        return Variable(out, op: "concat", parents: parts) { g in
            var grads: [Tensor?] = [], start = 0
            for v in values {
                grads.append(Kernels.crop(g, channel: start, top: 0, left: 0, c: v.c, h: v.h, w: v.w))
                start += v.c
            }
            return grads
        }
    }

    /// The `h x w` window at (`top`, `left`) of every channel (channels `channel..<channel+c` when given).
    public func crop(channel: Int = 0, c: Int? = nil, top: Int, left: Int, h: Int, w: Int) -> Variable {
        let x = value, cc = c ?? (x.c - channel)
        precondition(channel >= 0 && cc > 0 && channel + cc <= x.c && top >= 0 && left >= 0 && top + h <= x.h && left + w <= x.w,
                     "crop \(cc)x\(h)x\(w) at (\(channel),\(top),\(left)) is outside \(x.shapeDescription)")
        let out = Kernels.crop(x, channel: channel, top: top, left: left, c: cc, h: h, w: w)
        return Variable(out, op: "crop", parents: [self]) { g in
            var dx = Tensor(n: x.n, c: x.c, h: x.h, w: x.w)
            for b in 0..<x.n { for ch in 0..<cc { for y in 0..<h {
                let s = ((b * cc + ch) * h + y) * w, d = ((b * x.c + channel + ch) * x.h + top + y) * x.w + left
                for i in 0..<w { dx.data[d + i] = g.data[s + i] }
            } } }
            return [dx]
        }
    }
}
