import CFFmpeg

/// What the two libswscale users (`ColorConverter` for video, `FrameConverter` for still images
/// that are not packed RGB / gray) share: flags, the deprecated full-range J formats and a
/// frame's plane pointers.
enum Swscale {
    /// Bicubic, accurate rounding, full chroma interpolation both ways.
    static let flags = Int32(SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP)

    /// The format swscale should read for `format` (a J format's plain YUV twin), and whether the
    /// format itself says full range (the J formats do).
    static func source(_ format: AVPixelFormat) -> (format: AVPixelFormat, fullRange: Bool) {
        switch format {
        case AV_PIX_FMT_YUVJ420P: return (AV_PIX_FMT_YUV420P, true)
        case AV_PIX_FMT_YUVJ422P: return (AV_PIX_FMT_YUV422P, true)
        case AV_PIX_FMT_YUVJ444P: return (AV_PIX_FMT_YUV444P, true)
        case AV_PIX_FMT_YUVJ440P: return (AV_PIX_FMT_YUV440P, true)
        default: return (format, false)
        }
    }

    /// The frame's first four planes and line sizes, as `sws_scale` reads them.
    static func planes(of f: AVFrame) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        ([f.data.0, f.data.1, f.data.2, f.data.3].map { $0.map { UnsafePointer($0) } },
         [f.linesize.0, f.linesize.1, f.linesize.2, f.linesize.3])
    }

    /// The frame's first four planes and line sizes, as `sws_scale` writes them.
    static func mutablePlanes(of f: AVFrame) -> (data: [UnsafeMutablePointer<UInt8>?], strides: [Int32]) {
        ([f.data.0, f.data.1, f.data.2, f.data.3], [f.linesize.0, f.linesize.1, f.linesize.2, f.linesize.3])
    }
}
