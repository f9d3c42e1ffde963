import CFFmpeg
import SRTensor

/// Converts decoded AVFrames to float planes, exactly for packed RGB/gray formats, through
/// libswscale (to RGBA64) for everything else (YUV, palettes, BGR, planar RGB).
enum FrameConverter {
    /// Planes of a decoded frame.
    static func planes(from frame: UnsafeMutablePointer<AVFrame>, path: String) throws -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        let fmt = AVPixelFormat(rawValue: frame.pointee.format)
        let hasAlpha = upscale_pix_fmt_has_alpha(fmt) != 0
        let gray = upscale_pix_fmt_is_gray(fmt) != 0
        let depth = Int(upscale_pix_fmt_depth(fmt))
        let bitDepth = depth > 8 ? 16 : 8
        var rgb = Tensor(c: 3, h: h, w: w)
        var alpha: Tensor? = hasAlpha ? Tensor(c: 1, h: h, w: w) : nil
        // (channels per pixel, bytes per channel, big endian, gray) for formats read directly.
        let direct: (Int, Int, Bool, Bool)?
        let bgr = fmt == AV_PIX_FMT_BGR24 || fmt == AV_PIX_FMT_BGRA
        switch fmt {
        case AV_PIX_FMT_BGR24: direct = (3, 1, false, false)
        case AV_PIX_FMT_BGRA: direct = (4, 1, false, false)
        case AV_PIX_FMT_RGB24: direct = (3, 1, false, false)
        case AV_PIX_FMT_RGBA: direct = (4, 1, false, false)
        case AV_PIX_FMT_RGB48BE: direct = (3, 2, true, false)
        case AV_PIX_FMT_RGB48LE: direct = (3, 2, false, false)
        case AV_PIX_FMT_RGBA64BE: direct = (4, 2, true, false)
        case AV_PIX_FMT_RGBA64LE: direct = (4, 2, false, false)
        case AV_PIX_FMT_GRAY8: direct = (1, 1, false, true)
        case AV_PIX_FMT_GRAY16BE: direct = (1, 2, true, true)
        case AV_PIX_FMT_GRAY16LE: direct = (1, 2, false, true)
        case AV_PIX_FMT_YA8: direct = (2, 1, false, true)
        case AV_PIX_FMT_YA16BE: direct = (2, 2, true, true)
        case AV_PIX_FMT_YA16LE: direct = (2, 2, false, true)
        default: direct = nil
        }
        if let (cpp, bpc, be, isGray) = direct, let data = frame.pointee.data.0 {
            unpack(data, stride: Int(frame.pointee.linesize.0), w: w, h: h, cpp: cpp, bpc: bpc, bigEndian: be,
                   gray: isGray, bgr: bgr, rgb: &rgb, alpha: &alpha)
            return RGBImage(pixels: rgb, alpha: alpha, bitDepth: bitDepth, isGray: gray)
        }
        // Everything else: swscale to RGBA64LE (keeps 16 bits; full-range YUV for JPEG).
        let dstFmt = AV_PIX_FMT_RGBA64LE
        var srcFmt = fmt
        var srcRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        switch fmt {
        case AV_PIX_FMT_YUVJ420P: srcFmt = AV_PIX_FMT_YUV420P; srcRange = 1
        case AV_PIX_FMT_YUVJ422P: srcFmt = AV_PIX_FMT_YUV422P; srcRange = 1
        case AV_PIX_FMT_YUVJ444P: srcFmt = AV_PIX_FMT_YUV444P; srcRange = 1
        case AV_PIX_FMT_YUVJ440P: srcFmt = AV_PIX_FMT_YUV440P; srcRange = 1
        default: break
        }
        let flags = Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP | SWS_BITEXACT)
        guard let sws = sws_getContext(Int32(w), Int32(h), srcFmt, Int32(w), Int32(h), dstFmt, flags, nil, nil, nil) else {
            throw MediaError.corrupt(path: path, detail: "unsupported pixel format \(String(cString: av_get_pix_fmt_name(fmt)))")
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
            let f = frame.pointee
            let srcData: [UnsafePointer<UInt8>?] = [f.data.0, f.data.1, f.data.2, f.data.3].map { $0.map { UnsafePointer($0) } }
            let srcStride: [Int32] = [f.linesize.0, f.linesize.1, f.linesize.2, f.linesize.3]
            let rows = sws_scale(sws, srcData, srcStride, 0, Int32(h), &dstData, &dstStride)
            guard rows == Int32(h), let base = out.baseAddress else {
                throw MediaError.corrupt(path: path, detail: "pixel conversion failed")
            }
            unpack(base, stride: stride, w: w, h: h, cpp: 4, bpc: 2, bigEndian: false, gray: false, bgr: false,
                   rgb: &rgb, alpha: &alpha)
        }
        return RGBImage(pixels: rgb, alpha: alpha, bitDepth: bitDepth, isGray: gray)
    }

    /// Reads packed interleaved samples into planes (alpha is the last channel when present;
    /// `bgr` reverses the color order).
    static func unpack(_ src: UnsafePointer<UInt8>, stride: Int, w: Int, h: Int, cpp: Int, bpc: Int, bigEndian: Bool,
                       gray: Bool, bgr: Bool, rgb: inout Tensor, alpha: inout Tensor?) {
        let scale: Float = bpc == 1 ? 1 / 255 : 1 / 65535
        let plane = w * h
        let colorChannels = gray ? 1 : 3
        let hasAlphaChannel = cpp > colorChannels
        rgb.data.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let row = src + y * stride
                for x in 0..<w {
                    for c in 0..<cpp {
                        let p = row + (x * cpp + c) * bpc
                        let v: Float
                        if bpc == 1 { v = Float(p[0]) } else { v = Float(bigEndian ? (Int(p[0]) << 8 | Int(p[1])) : (Int(p[1]) << 8 | Int(p[0]))) }
                        if hasAlphaChannel && c == cpp - 1 {
                            alpha?.data[y * w + x] = v * scale
                        } else if gray {
                            out[y * w + x] = v * scale; out[plane + y * w + x] = v * scale; out[2 * plane + y * w + x] = v * scale
                        } else {
                            out[(bgr ? 2 - c : c) * plane + y * w + x] = v * scale
                        }
                    }
                }
            }
        }
    }
}
