import CFFmpeg
import SRTensor

/// Still images between AVFrames and float planes: decoded frames to `RGBImage` (exactly for
/// packed RGB / gray formats, through libswscale to RGBA64 for everything else: YUV, palettes,
/// planar RGB), and `RGBImage` into the frames the image encoders take (packed RGB / gray, or
/// JPEG's full-range YUV 4:4:4). The packed pixels both ways are `PackedPixels`.
enum FrameConverter {
    /// Planes of a decoded frame.
    static func planes(from frame: UnsafeMutablePointer<AVFrame>, path: String) throws -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        let fmt = AVPixelFormat(rawValue: frame.pointee.format)
        let hasAlpha = upscale_pix_fmt_has_alpha(fmt) != 0
        let gray = upscale_pix_fmt_is_gray(fmt) != 0
        let bitDepth = Int(upscale_pix_fmt_depth(fmt)) > 8 ? 16 : 8
        var rgb = Tensor(c: 3, h: h, w: w)
        var alpha: Tensor? = hasAlpha ? Tensor(c: 1, h: h, w: w) : nil
        if let layout = PackedPixels(fmt), let data = frame.pointee.data.0 {
            layout.unpack(data, stride: Int(frame.pointee.linesize.0), w: w, h: h, rgb: &rgb, alpha: &alpha)
            return RGBImage(pixels: rgb, alpha: alpha, bitDepth: bitDepth, isGray: gray)
        }
        // Everything else: swscale to RGBA64LE (keeps 16 bits; full-range YUV for JPEG).
        let dstFmt = AV_PIX_FMT_RGBA64LE
        let (srcFmt, jpegRange) = Swscale.source(fmt)
        let srcRange: Int32 = jpegRange || frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        let flags = Swscale.flags | Int32(SWS_BITEXACT)
        guard let sws = sws_getContext(Int32(w), Int32(h), srcFmt, Int32(w), Int32(h), dstFmt, flags, nil, nil, nil) else {
            throw MediaError.corrupt(path: path, detail: "unsupported pixel format \(pixelFormatName(fmt))")
        }
        defer { sws_freeContext(sws) }
        if let coeffs = sws_getCoefficients(SWS_CS_ITU601) {
            sws_setColorspaceDetails(sws, coeffs, srcRange, coeffs, 1, 0, 1 << 16, 1 << 16)
        }
        let stride = w * 8
        var buffer = [UInt8](repeating: 0, count: stride * h)
        try buffer.withUnsafeMutableBufferPointer { out in
            var dstData: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(stride), 0, 0, 0]
            let src = Swscale.planes(of: frame.pointee)
            let rows = sws_scale(sws, src.data, src.strides, 0, Int32(h), &dstData, &dstStride)
            guard rows == Int32(h), let base = out.baseAddress, let layout = PackedPixels(dstFmt) else {
                throw MediaError.corrupt(path: path, detail: "pixel conversion failed")
            }
            layout.unpack(base, stride: stride, w: w, h: h, rgb: &rgb, alpha: &alpha)
        }
        return RGBImage(pixels: rgb, alpha: alpha, bitDepth: bitDepth, isGray: gray)
    }

    /// Fills `frame` (already sized and allocated as `format`: packed RGB / gray or YUVJ444P)
    /// from `image`, clamped to 0...1 and rounded.
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage, format: AVPixelFormat) {
        if format == AV_PIX_FMT_YUVJ444P {
            fillJPEGYUV(frame.pointee, from: image)
        } else if let layout = PackedPixels(format), let base = frame.pointee.data.0 {
            layout.pack(image, into: base, stride: Int(frame.pointee.linesize.0))
        }
    }

    /// Full-range BT.601 YUV 4:4:4 (JPEG's), 8 bits.
    private static func fillJPEGYUV(_ f: AVFrame, from image: RGBImage) {
        let w = image.width, h = image.height, plane = w * h, px = image.pixels.data
        guard let yp = f.data.0, let up = f.data.1, let vp = f.data.2 else { return }
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let r = min(max(px[i], 0), 1) * 255, g = min(max(px[plane + i], 0), 1) * 255, b = min(max(px[2 * plane + i], 0), 1) * 255
                let yy = 0.299 * r + 0.587 * g + 0.114 * b
                let cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
                let cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
                yp[y * Int(f.linesize.0) + x] = UInt8(min(max(yy.rounded(), 0), 255))
                up[y * Int(f.linesize.1) + x] = UInt8(min(max(cb.rounded(), 0), 255))
                vp[y * Int(f.linesize.2) + x] = UInt8(min(max(cr.rounded(), 0), 255))
            }
        }
    }
}
