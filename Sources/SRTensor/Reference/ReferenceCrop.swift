extension Reference {
    /// Cuts the window starting at (channel, top, left) of the given size (ncnn Crop).
    public static func crop(_ x: Tensor, channel: Int = 0, top: Int, left: Int, c: Int? = nil, h: Int, w: Int) -> Tensor {
        let oc = c ?? (x.c - channel)
        precondition(channel + oc <= x.c && top + h <= x.h && left + w <= x.w && top >= 0 && left >= 0,
                     "crop window outside the tensor")
        var out = Tensor(n: x.n, c: oc, h: h, w: w)
        for b in 0..<x.n {
            for ch in 0..<oc {
                for y in 0..<h { for xx in 0..<w { out[b, ch, y, xx] = x[b, channel + ch, top + y, left + xx] } }
            }
        }
        return out
    }
}
