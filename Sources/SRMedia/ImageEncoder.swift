import CFFmpeg
import Foundation
import SRTensor

/// Encodes one still image with libavcodec; the single packet is the whole file.
///
/// Thread safety: each call has its own codec context; calls may run concurrently.
enum ImageEncoder {
    /// The output formats, by lower-case extension.
    enum Format: String {
        case png, jpeg, webp, tiff, bmp

        init?(extension ext: String) {
            switch ext.lowercased() {
            case "png": self = .png
            case "jpg", "jpeg": self = .jpeg
            case "webp": self = .webp
            case "tif", "tiff": self = .tiff
            case "bmp": self = .bmp
            default: return nil
            }
        }
    }

    /// Encodes `image` as `format` and returns the file's bytes.
    /// `jpegQScale` (2 best ... 31 worst) sets the JPEG quantizer scale (default 2).
    static func encode(_ image: RGBImage, format: Format, bitDepth: Int, path: String, jpegQScale: Int = 2) throws -> Data {
        _ = quietFFmpegLogging
        let sixteen = bitDepth > 8 && (format == .png || format == .tiff)
        let hasAlpha = image.alpha != nil && format != .jpeg
        let gray = image.isGray && format != .jpeg && format != .webp
        let pixFmt = pixelFormat(format, sixteen: sixteen, alpha: hasAlpha, gray: gray)
        let codec: UnsafePointer<AVCodec>?
        switch format {
        case .png: codec = avcodec_find_encoder(AV_CODEC_ID_PNG)
        case .jpeg: codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG)
        case .webp: codec = avcodec_find_encoder_by_name("libwebp")
        case .tiff: codec = avcodec_find_encoder(AV_CODEC_ID_TIFF)
        case .bmp: codec = avcodec_find_encoder(AV_CODEC_ID_BMP)
        }
        guard let codec else { throw MediaError.encoderMissing(path: path, format: format.rawValue) }
        var ctx = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&ctx) }
        var frame = av_frame_alloc()
        defer { av_frame_free(&frame) }
        var pkt = av_packet_alloc()
        defer { av_packet_free(&pkt) }
        guard let ctx, let frame, let pkt else { throw MediaError.encodeFailed(path: path, detail: "out of memory") }
        ctx.pointee.width = Int32(image.width)
        ctx.pointee.height = Int32(image.height)
        ctx.pointee.pix_fmt = pixFmt
        ctx.pointee.time_base = AVRational(num: 1, den: 25)
        ctx.pointee.thread_count = 1
        if format == .jpeg {
            ctx.pointee.color_range = AVCOL_RANGE_JPEG
            ctx.pointee.flags |= upscale_codec_flag_qscale()
            ctx.pointee.global_quality = Int32(min(max(jpegQScale, 2), 31)) * upscale_qp2lambda()
        }
        if format == .webp { av_opt_set_double(ctx.pointee.priv_data, "quality", 90, 0) }
        var ret = avcodec_open2(ctx, codec, nil)
        guard ret >= 0 else { throw MediaError.encodeFailed(path: path, detail: averrorText(ret)) }
        frame.pointee.width = ctx.pointee.width
        frame.pointee.height = ctx.pointee.height
        frame.pointee.format = pixFmt.rawValue
        frame.pointee.quality = ctx.pointee.global_quality
        ret = av_frame_get_buffer(frame, 0)
        guard ret >= 0 else { throw MediaError.encodeFailed(path: path, detail: averrorText(ret)) }
        FrameConverter.fill(frame, from: image, format: pixFmt)
        ret = avcodec_send_frame(ctx, frame)
        guard ret >= 0 else { throw MediaError.encodeFailed(path: path, detail: averrorText(ret)) }
        avcodec_send_frame(ctx, nil)
        var out = Data()
        while avcodec_receive_packet(ctx, pkt) >= 0 {
            if let d = pkt.pointee.data { out.append(d, count: Int(pkt.pointee.size)) }
            av_packet_unref(pkt)
        }
        guard !out.isEmpty else { throw MediaError.encodeFailed(path: path, detail: "no data produced") }
        return out
    }

    /// The encoder pixel format for the wanted depth, alpha and color.
    static func pixelFormat(_ f: Format, sixteen: Bool, alpha: Bool, gray: Bool) -> AVPixelFormat {
        switch f {
        case .png:
            if gray { return sixteen ? (alpha ? AV_PIX_FMT_YA16BE : AV_PIX_FMT_GRAY16BE) : (alpha ? AV_PIX_FMT_YA8 : AV_PIX_FMT_GRAY8) }
            return sixteen ? (alpha ? AV_PIX_FMT_RGBA64BE : AV_PIX_FMT_RGB48BE) : (alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24)
        case .tiff:
            if gray { return sixteen ? (alpha ? AV_PIX_FMT_YA16LE : AV_PIX_FMT_GRAY16LE) : (alpha ? AV_PIX_FMT_YA8 : AV_PIX_FMT_GRAY8) }
            return sixteen ? (alpha ? AV_PIX_FMT_RGBA64LE : AV_PIX_FMT_RGB48LE) : (alpha ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24)
        case .bmp:
            if gray && !alpha { return AV_PIX_FMT_GRAY8 }
            return alpha ? AV_PIX_FMT_BGRA : AV_PIX_FMT_BGR24
        case .webp: return AV_PIX_FMT_BGRA
        case .jpeg: return AV_PIX_FMT_YUVJ444P
        }
    }
}
