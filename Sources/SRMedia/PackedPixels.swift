import CFFmpeg
import SRTensor

/// The one conversion between packed 8/16-bit RGB / gray (+ alpha) pixels and float planes
/// (0...1), both ways, for still images: decoded frames read directly, libswscale's RGBA64 output,
/// and the frames handed to the image encoders.
///
/// Exact by construction: a sample `v` of `bits` bits becomes `v / (2^bits - 1)` and back
/// (clamped, rounded). Gray planes are written to R, G and B; gray is written as BT.601 luma.
/// Video frames go through libswscale's float output instead (`ColorConverter`, with the
/// stream's colour matrix), not through here.
struct PackedPixels {
    /// What one interleaved sample of a pixel holds.
    enum Channel { case red, green, blue, alpha, gray }

    /// The samples of one pixel, in memory order.
    let order: [Channel]
    /// 1 or 2.
    let bytesPerChannel: Int
    /// Byte order of 16-bit samples.
    let bigEndian: Bool

    /// The layout of a packed RGB / gray format, nil for any other format.
    init?(_ format: AVPixelFormat) {
        let rgb: [Channel] = [.red, .green, .blue], rgba: [Channel] = [.red, .green, .blue, .alpha]
        switch format {
        case AV_PIX_FMT_RGB24: (order, bytesPerChannel, bigEndian) = (rgb, 1, false)
        case AV_PIX_FMT_RGBA: (order, bytesPerChannel, bigEndian) = (rgba, 1, false)
        case AV_PIX_FMT_BGR24: (order, bytesPerChannel, bigEndian) = ([.blue, .green, .red], 1, false)
        case AV_PIX_FMT_BGRA: (order, bytesPerChannel, bigEndian) = ([.blue, .green, .red, .alpha], 1, false)
        case AV_PIX_FMT_RGB48BE: (order, bytesPerChannel, bigEndian) = (rgb, 2, true)
        case AV_PIX_FMT_RGB48LE: (order, bytesPerChannel, bigEndian) = (rgb, 2, false)
        case AV_PIX_FMT_RGBA64BE: (order, bytesPerChannel, bigEndian) = (rgba, 2, true)
        case AV_PIX_FMT_RGBA64LE: (order, bytesPerChannel, bigEndian) = (rgba, 2, false)
        case AV_PIX_FMT_GRAY8: (order, bytesPerChannel, bigEndian) = ([.gray], 1, false)
        case AV_PIX_FMT_GRAY16BE: (order, bytesPerChannel, bigEndian) = ([.gray], 2, true)
        case AV_PIX_FMT_GRAY16LE: (order, bytesPerChannel, bigEndian) = ([.gray], 2, false)
        case AV_PIX_FMT_YA8: (order, bytesPerChannel, bigEndian) = ([.gray, .alpha], 1, false)
        case AV_PIX_FMT_YA16BE: (order, bytesPerChannel, bigEndian) = ([.gray, .alpha], 2, true)
        case AV_PIX_FMT_YA16LE: (order, bytesPerChannel, bigEndian) = ([.gray, .alpha], 2, false)
        default: return nil
        }
    }

    /// Largest sample value: 255 or 65535.
    private var maxValue: Float { bytesPerChannel == 1 ? 255 : 65535 }

    /// Reads `h` rows of `w` pixels, `stride` bytes apart, into `rgb` (3 x h x w) and `alpha`
    /// (when the layout and the caller both have one).
    func unpack(_ src: UnsafePointer<UInt8>, stride: Int, w: Int, h: Int, rgb: inout Tensor, alpha: inout Tensor?) {
        let scale: Float = bytesPerChannel == 1 ? 1 / 255 : 1 / 65535
        let plane = w * h, cpp = order.count, bpc = bytesPerChannel, be = bigEndian
        var alphaPlane = alpha?.data ?? []
        rgb.data.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let row = src + y * stride
                for x in 0..<w {
                    let i = y * w + x
                    for (c, channel) in order.enumerated() {
                        let p = row + (x * cpp + c) * bpc
                        let v = bpc == 1 ? Float(p[0]) : Float(be ? (Int(p[0]) << 8 | Int(p[1])) : (Int(p[1]) << 8 | Int(p[0])))
                        switch channel {
                        case .red: out[i] = v * scale
                        case .green: out[plane + i] = v * scale
                        case .blue: out[2 * plane + i] = v * scale
                        case .gray: out[i] = v * scale; out[plane + i] = v * scale; out[2 * plane + i] = v * scale
                        case .alpha: if !alphaPlane.isEmpty { alphaPlane[i] = v * scale }
                        }
                    }
                }
            }
        }
        if alpha != nil { alpha?.data = alphaPlane }
    }

    /// Writes `image` (clamped to 0...1, rounded) as `h` rows, `stride` bytes apart, at `dst`;
    /// alpha is 1 where the image has none.
    func pack(_ image: RGBImage, into dst: UnsafeMutablePointer<UInt8>, stride: Int) {
        let w = image.width, h = image.height, plane = w * h
        let px = image.pixels.data, alpha = image.alpha?.data
        let cpp = order.count, bpc = bytesPerChannel, maxv = maxValue
        for y in 0..<h {
            let row = dst + y * stride
            for x in 0..<w {
                let i = y * w + x
                for (k, channel) in order.enumerated() {
                    let v: Float
                    switch channel {
                    case .red: v = px[i]
                    case .green: v = px[plane + i]
                    case .blue: v = px[2 * plane + i]
                    case .alpha: v = alpha?[i] ?? 1
                    case .gray: v = 0.299 * px[i] + 0.587 * px[plane + i] + 0.114 * px[2 * plane + i]
                    }
                    let n = Int((min(max(v, 0), 1) * maxv).rounded()), p = row + (x * cpp + k) * bpc
                    if bpc == 1 {
                        p[0] = UInt8(n)
                    } else if bigEndian {
                        p[0] = UInt8(n >> 8); p[1] = UInt8(n & 255)
                    } else {
                        p[0] = UInt8(n & 255); p[1] = UInt8(n >> 8)
                    }
                }
            }
        }
    }
}
