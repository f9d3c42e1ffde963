import SRTensor

/// im2col and its adjoint col2im: the one column-matrix layout every GEMM convolution uses
/// (inference `Kernels.convolution` / `Kernels.deconvolution` and autograd's `conv2d` / `deconv2d`).
///
/// The column matrix of one group has `columnRows` rows, one per tap `(ic, ky, kx)` (row-major), and
/// one column per output pixel `(oy, ox)` of a block of output rows. Entry `((ic, ky, kx), (oy, ox))`
/// is input pixel `(oy * strideH + ky * dilationH - padTop, ox * strideW + kx * dilationW - padLeft)`
/// of plane `ic`, or `padValue` where that lies outside the `h x w` plane. The bottom and right
/// padding only enter through the output size the caller passes. Reference twins: SRKernelsTests.
extension ConvGeometry {
    /// Rows of one group's column matrix: `inChannels / groups * kernelH * kernelW`.
    public var columnRows: Int { inChannels / groups * kernelH * kernelW }

    /// True for a 1x1, stride-1, unpadded kernel, whose column matrix is the input itself.
    public var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padBottom == 0
            && padLeft == 0 && padRight == 0
    }

    /// Writes the column matrix of output rows `rows` (`ow` output columns each) of one group.
    ///
    /// `src` holds the group's `inChannels / groups` planes of `h x w`; `col` receives
    /// `columnRows x (rows.count * ow)` floats. `ow` is `convOutputSize(h:w:).w` for a convolution.
    public func im2col(_ src: UnsafePointer<Float>, h: Int, w: Int, rows: Range<Int>, ow: Int,
                       into col: UnsafeMutablePointer<Float>) {
        let pad = padValue, sw = strideW
        var dst = col
        for ic in 0..<(inChannels / groups) {
            let plane = src + ic * h * w
            for ky in 0..<kernelH {
                for kx in 0..<kernelW {
                    let off = kx * dilationW - padLeft
                    let (lo, hi) = insideColumns(offset: off, w: w, ow: ow)
                    for oy in rows {
                        let iy = oy * strideH + ky * dilationH - padTop
                        if iy < 0 || iy >= h {
                            dst.update(repeating: pad, count: ow)
                        } else {
                            if lo > 0 { dst.update(repeating: pad, count: lo) }
                            let s = plane + iy * w + off
                            if sw == 1 {
                                (dst + lo).update(from: s + lo, count: hi - lo)
                            } else {
                                for ox in lo..<hi { dst[ox] = s[ox * sw] }
                            }
                            if hi < ow { (dst + hi).update(repeating: pad, count: ow - hi) }
                        }
                        dst += ow
                    }
                }
            }
        }
    }

    /// Adds a column matrix laid out as `im2col` writes it onto the group's planes `dst` (the
    /// adjoint of `im2col`: entries that fall into the padding are dropped).
    ///
    /// This is also a transposed convolution's scatter: the GEMM of the weights with the input
    /// gives the columns of the (conv-)output pixels, col2im adds them into the larger plane.
    public func col2im(_ col: UnsafePointer<Float>, h: Int, w: Int, rows: Range<Int>, ow: Int,
                       into dst: UnsafeMutablePointer<Float>) {
        let sw = strideW
        var src = col
        for ic in 0..<(inChannels / groups) {
            let plane = dst + ic * h * w
            for ky in 0..<kernelH {
                for kx in 0..<kernelW {
                    let off = kx * dilationW - padLeft
                    let (lo, hi) = insideColumns(offset: off, w: w, ow: ow)
                    for oy in rows {
                        let iy = oy * strideH + ky * dilationH - padTop
                        if iy >= 0 && iy < h && lo < hi {
                            let d = plane + iy * w + off
                            if sw == 1 {
                                for ox in lo..<hi { d[ox] += src[ox] }
                            } else {
                                for ox in lo..<hi { d[ox * sw] += src[ox] }
                            }
                        }
                        src += ow
                    }
                }
            }
        }
    }

    /// The output columns `lo..<hi` whose input column `ox * strideW + offset` lies in `0..<w`.
    private func insideColumns(offset off: Int, w: Int, ow: Int) -> (Int, Int) {
        let sw = strideW
        let lo = min(ow, off >= 0 ? 0 : (-off + sw - 1) / sw)
        let hi = max(lo, w - off - 1 < 0 ? 0 : min(ow, (w - off - 1) / sw + 1))
        return (lo, hi)
    }
}
