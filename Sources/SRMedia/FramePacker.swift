import CFFmpeg
import SRTensor

/// Writes float planes (0...1, clamped, rounded) into an allocated AVFrame of a packed RGB,
/// gray or JPEG YUV 4:4:4 format.
enum FramePacker {
    /// Fills `frame` (already sized and allocated as `format`) from `image`.
    static func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage, format: AVPixelFormat) {
        let w = image.width, h = image.height, plane = w * h
        let px = image.pixels.data, alpha = image.alpha?.data
        @inline(__always) func q(_ v: Float, _ maxv: Float) -> Int { Int((min(max(v, 0), 1) * maxv).rounded()) }
        if format == AV_PIX_FMT_YUVJ444P {
            let f = frame.pointee
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
            return
        }
        // (channel order as indices into [r, g, b, a, gray], bytes per channel, big endian)
        let layout: ([Int], Int, Bool)
        switch format {
        case AV_PIX_FMT_RGB24: layout = ([0, 1, 2], 1, false)
        case AV_PIX_FMT_RGBA: layout = ([0, 1, 2, 3], 1, false)
        case AV_PIX_FMT_BGR24: layout = ([2, 1, 0], 1, false)
        case AV_PIX_FMT_BGRA: layout = ([2, 1, 0, 3], 1, false)
        case AV_PIX_FMT_RGB48BE: layout = ([0, 1, 2], 2, true)
        case AV_PIX_FMT_RGBA64BE: layout = ([0, 1, 2, 3], 2, true)
        case AV_PIX_FMT_RGB48LE: layout = ([0, 1, 2], 2, false)
        case AV_PIX_FMT_RGBA64LE: layout = ([0, 1, 2, 3], 2, false)
        case AV_PIX_FMT_GRAY8: layout = ([4], 1, false)
        case AV_PIX_FMT_YA8: layout = ([4, 3], 1, false)
        case AV_PIX_FMT_GRAY16BE: layout = ([4], 2, true)
        case AV_PIX_FMT_YA16BE: layout = ([4, 3], 2, true)
        case AV_PIX_FMT_GRAY16LE: layout = ([4], 2, false)
        case AV_PIX_FMT_YA16LE: layout = ([4, 3], 2, false)
        default: return
        }
        let (order, bpc, be) = layout
        let maxv: Float = bpc == 1 ? 255 : 65535
        guard let base = frame.pointee.data.0 else { return }
        let stride = Int(frame.pointee.linesize.0)
        for y in 0..<h {
            let row = base + y * stride
            for x in 0..<w {
                let i = y * w + x
                for (k, ch) in order.enumerated() {
                    let v: Float
                    switch ch {
                    case 3: v = alpha?[i] ?? 1
                    case 4: v = 0.299 * px[i] + 0.587 * px[plane + i] + 0.114 * px[2 * plane + i]
                    default: v = px[ch * plane + i]
                    }
                    let n = q(v, maxv), p = row + (x * order.count + k) * bpc
                    if bpc == 1 { p[0] = UInt8(n) } else if be { p[0] = UInt8(n >> 8); p[1] = UInt8(n & 255) } else { p[0] = UInt8(n & 255); p[1] = UInt8(n >> 8) }
                }
            }
        }
    }
}
