import SRTensor

extension Kernels {
    /// Concatenates along the channel axis (ncnn Concat, axis 0 of a 3-D blob).
    public static func concatChannels(_ inputs: [Tensor]) -> Tensor {
        precondition(!inputs.isEmpty, "concat needs inputs")
        let f = inputs[0]
        precondition(inputs.allSatisfy { $0.n == f.n && $0.h == f.h && $0.w == f.w }, "concat shape mismatch")
        let total = inputs.reduce(0) { $0 + $1.c }
        var out = Tensor.pooled(n: f.n, c: total, h: f.h, w: f.w)
        let plane = f.h * f.w
        if out.count == 0 { return out }
        out.data.withUnsafeMutableBufferPointer { ob in
            guard let op = ob.baseAddress else { return }
            var base = 0
            for t in inputs {
                let size = t.c * plane
                t.data.withUnsafeBufferPointer { tb in
                    guard let tp = tb.baseAddress else { return }
                    for b in 0..<f.n { (op + (b * total + base) * plane).update(from: tp + b * size, count: size) }
                }
                base += t.c
            }
        }
        return out
    }

    /// Cuts the window starting at (channel, top, left) of the given size (ncnn Crop).
    public static func crop(_ x: Tensor, channel: Int = 0, top: Int, left: Int, c: Int? = nil, h: Int, w: Int) -> Tensor {
        let oc = c ?? (x.c - channel)
        precondition(channel >= 0 && oc >= 0 && h >= 0 && w >= 0, "crop window size")
        precondition(channel + oc <= x.c && top + h <= x.h && left + w <= x.w && top >= 0 && left >= 0,
                     "crop window outside the tensor")
        var out = Tensor.pooled(n: x.n, c: oc, h: h, w: w)
        if out.count == 0 { return out }
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                for b in 0..<x.n {
                    for ch in 0..<oc {
                        let src = xp + x.index(b, channel + ch, top, left), dst = op + (b * oc + ch) * h * w
                        for y in 0..<h { (dst + y * w).update(from: src + y * x.w, count: w) }
                    }
                }
            }
        }
        return out
    }

    /// The centre window of at most `maxSide` x `maxSide` pixels (the tensor itself when it fits).
    public static func centerCrop(_ x: Tensor, maxSide m: Int) -> Tensor {
        guard x.h > m || x.w > m else { return x }
        let h = min(x.h, m), w = min(x.w, m)
        return crop(x, top: (x.h - h) / 2, left: (x.w - w) / 2, h: h, w: w)
    }

    /// Pads every plane by repeating its edge pixels: `top` rows above, `left` columns before,
    /// `bottom` rows below, `right` columns after (`x` itself when all are 0).
    public static func replicatePad(_ x: Tensor, top: Int, left: Int, bottom: Int, right: Int) -> Tensor {
        precondition(top >= 0 && left >= 0 && bottom >= 0 && right >= 0, "replicatePad: negative padding")
        if top == 0 && left == 0 && bottom == 0 && right == 0 { return x }
        let oh = x.h + top + bottom, ow = x.w + left + right
        var out = Tensor.pooled(n: x.n, c: x.c, h: oh, w: ow)
        if out.count == 0 || x.count == 0 { return out }
        let cols = (0..<ow).map { min(max($0 - left, 0), x.w - 1) }
        out.data.withUnsafeMutableBufferPointer { dst in
            x.data.withUnsafeBufferPointer { src in
                for plane in 0..<(x.n * x.c) {
                    let s = plane * x.h * x.w, d = plane * oh * ow
                    for y in 0..<oh {
                        let row = s + min(max(y - top, 0), x.h - 1) * x.w, o = d + y * ow
                        for xx in 0..<ow { dst[o + xx] = src[row + cols[xx]] }
                    }
                }
            }
        }
        return out
    }
}
