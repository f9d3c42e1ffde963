import CFFmpeg
import Foundation

/// The encode stage: float-converted frames in, compressed packets out (libavcodec).
///
/// Threading: used by one thread at a time (the scheduler's writer); the codec's own threads
/// are FFmpeg's.
/// End of stream: `encode(nil)` drains the delayed packets; call it once. An encoder may be freed
/// without it, or without ever seeing a frame (opened only to check settings or read headers).
public final class VideoEncoder: @unchecked Sendable {
    let codec: UnsafeMutablePointer<AVCodecContext>
    private var sawFrame = false
    private var drained = false
    /// The pixel format frames must have.
    public let pixelFormat: Int32
    /// Frame size the encoder takes (even where chroma subsampling needs it).
    public let width: Int, height: Int
    /// The encoder's name.
    public let name: String

    /// Chooses the pixel format: `settings.pixelFormat`, else the closest the codec supports to
    /// `input` (same bit depth and chroma, at least 4:2:0). `notes` hears about lost depth.
    static func choosePixelFormat(_ settings: EncoderSettings, encoder: UnsafePointer<AVCodec>, input: Int32,
                                  notes: (String) -> Void) throws -> AVPixelFormat {
        var supported: [AVPixelFormat] = []
        if var p = encoder.pointee.pix_fmts {
            while p.pointee != AV_PIX_FMT_NONE { supported.append(p.pointee); p += 1 }
        }
        if let name = settings.pixelFormat {
            let f = av_get_pix_fmt(name)
            guard f != AV_PIX_FMT_NONE else { throw MediaError.encoderRefused(codec: settings.codec, detail: "unknown pixel format '\(name)'") }
            guard supported.isEmpty || supported.contains(f) else {
                throw MediaError.encoderRefused(codec: settings.codec, detail: "cannot write \(name) (it writes "
                                                + supported.map(pixelFormatName).joined(separator: ", ") + ")")
            }
            return f
        }
        var want = AVPixelFormat(rawValue: input)
        let depth = upscale_pix_fmt_depth(want)
        // At least 4:2:0, never gray, never alpha, never a palette: YUV of the input's depth and chroma.
        let cw = upscale_pix_fmt_log2_chroma_w(want), ch = upscale_pix_fmt_log2_chroma_h(want)
        let rgbOrGray = upscale_pix_fmt_is_rgb(want) != 0 || upscale_pix_fmt_is_gray(want) != 0
        let chroma = rgbOrGray ? "444" : (cw == 0 && ch == 0 ? "444" : (cw == 1 && ch == 0 ? "422" : "420"))
        let suffix = depth > 8 ? (depth > 10 ? "12le" : "10le") : ""
        want = av_get_pix_fmt("yuv\(chroma)p\(suffix)")
        if want == AV_PIX_FMT_NONE { want = AV_PIX_FMT_YUV420P }
        guard !supported.isEmpty else { return want }
        if supported.contains(want) { return want }
        var loss: Int32 = 0
        let best = avcodec_find_best_pix_fmt_of_list(encoder.pointee.pix_fmts, want, 0, &loss)
        if upscale_pix_fmt_depth(best) < upscale_pix_fmt_depth(want) {
            notes("note: \(settings.codec) cannot write \(pixelFormatName(want)); writing \(pixelFormatName(best))")
        }
        return best
    }

    /// Opens the encoder for frames of `width x height` (odd sizes are padded by one where the
    /// pixel format needs even ones; `padded` tells), in `timeBase`, tagged with `color` and `aspect`.
    public init(settings: EncoderSettings, width: Int, height: Int, inputPixelFormat: Int32, timeBase: Rational,
                frameRate: Rational, aspect: Rational, color: ColorDescription, globalHeader: Bool,
                hdrParams: String?, threads: Int, notes: (String) -> Void) throws {
        name = settings.codec
        guard let enc = avcodec_find_encoder_by_name(settings.codec), enc.pointee.type == AVMEDIA_TYPE_VIDEO else {
            throw MediaError.encoderRefused(codec: settings.codec, detail: "no such video encoder in this FFmpeg (try "
                                            + EncoderSettings.documentedCodecs.joined(separator: ", ") + ")")
        }
        let fmt = try VideoEncoder.choosePixelFormat(settings, encoder: enc, input: inputPixelFormat, notes: notes)
        let sw = Int(upscale_pix_fmt_log2_chroma_w(fmt)), sh = Int(upscale_pix_fmt_log2_chroma_h(fmt))
        let w = ((width + (1 << sw) - 1) >> sw) << sw, h = ((height + (1 << sh) - 1) >> sh) << sh
        if w != width || h != height {
            notes("note: \(width)x\(height) is odd for \(pixelFormatName(fmt)): padded to \(w)x\(h) by repeating the last "
                  + (w != width && h != height ? "column and row" : (w != width ? "column" : "row")))
        }
        try settings.checkSize(width: w, height: h)
        guard let ctx = avcodec_alloc_context3(enc) else { throw MediaError.encodeFailed(path: "", detail: "out of memory") }
        var owned: UnsafeMutablePointer<AVCodecContext>? = ctx
        ctx.pointee.width = Int32(w)
        ctx.pointee.height = Int32(h)
        ctx.pointee.pix_fmt = fmt
        ctx.pointee.time_base = timeBase.av
        if frameRate.num > 0 && frameRate.den > 0 { ctx.pointee.framerate = frameRate.av }
        ctx.pointee.sample_aspect_ratio = aspect.num > 0 ? aspect.av : AVRational(num: 1, den: 1)
        if upscale_pix_fmt_is_rgb(fmt) == 0 {
            ctx.pointee.colorspace = AVColorSpace(rawValue: UInt32(color.effectiveMatrix(height: height)))
            ctx.pointee.color_range = color.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        }
        ctx.pointee.color_primaries = AVColorPrimaries(rawValue: UInt32(color.primaries))
        ctx.pointee.color_trc = AVColorTransferCharacteristic(rawValue: UInt32(color.transfer))
        ctx.pointee.thread_count = Int32(max(1, threads))
        if globalHeader { ctx.pointee.flags |= upscale_codec_flag_global_header() }

        var dict: OpaquePointer? = nil
        defer { av_dict_free(&dict) }
        if let crf = settings.crf ?? settings.defaultCRF {
            if settings.defaultCRF == nil {
                notes("note: --crf does not apply to \(settings.codec); ignored")
            } else {
                av_dict_set(&dict, "crf", String(crf), 0)
                if settings.codec == "libvpx-vp9" { ctx.pointee.bit_rate = 0 }
            }
        }
        if let preset = settings.preset ?? settings.defaultPreset { av_dict_set(&dict, "preset", preset, 0) }
        if settings.codec == "libx265" {
            var params = ["log-level=error"]
            if let hdr = hdrParams, !hdr.isEmpty { params.append(hdr) }
            if let user = settings.options.first(where: { $0.key == "x265-params" }) { params.append(user.value) }
            av_dict_set(&dict, "x265-params", params.joined(separator: ":"), 0)
        }
        if settings.codec == "libvpx-vp9" { av_dict_set(&dict, "row-mt", "1", 0) }
        if settings.codec == "libsvtav1" {
            setenv("SVT_LOG", "1", 0)  // errors only: SVT-AV1 prints its banner otherwise
            av_dict_set(&dict, "svtav1-params", "lp=\(max(1, threads))", 0)
        }
        for (k, v) in settings.options where !(settings.codec == "libx265" && k == "x265-params") {
            av_dict_set(&dict, k, v, 0)
        }
        let rc = avcodec_open2(ctx, enc, &dict)
        guard rc >= 0 else {
            avcodec_free_context(&owned)
            throw MediaError.encoderRefused(codec: settings.codec, detail: "cannot open for \(w)x\(h) \(pixelFormatName(fmt)) ("
                                            + averrorText(rc) + "); check --crf, --encoder-preset and --encoder-opt")
        }
        let unused = Dictionary(metadata: dict).keys.sorted()
        if !unused.isEmpty {
            avcodec_free_context(&owned)
            throw MediaError.encoderRefused(codec: settings.codec, detail: "unknown option "
                                            + unused.map { "'\($0)'" }.joined(separator: ", ") + " (see 'ffmpeg -h encoder=\(settings.codec)')")
        }
        codec = ctx
        pixelFormat = fmt.rawValue
        self.width = w
        self.height = h
    }

    deinit {
        if !drained && needsAFrameBeforeClose { _ = try? encode(nil) }
        var p: UnsafeMutablePointer<AVCodecContext>? = codec
        avcodec_free_context(&p)
    }

    /// SVT-AV1 waits forever in its deinit unless it saw a frame and the end of stream.
    private var needsAFrameBeforeClose: Bool { name == "libsvtav1" }

    /// The pixel format name (e.g. `yuv420p10le`).
    public var formatName: String { pixelFormatName(AVPixelFormat(rawValue: pixelFormat)) }

    /// The encoder's time base (packets come out in it).
    public var timeBase: Rational { Rational(codec.pointee.time_base) }

    /// Encodes one frame (nil = end of stream) and returns the packets that became ready.
    public func encode(_ frame: MediaFrame?) throws -> [MediaPacket] {
        // An encoder that never saw a frame gets a black one before the end of stream, whose
        // packets are dropped (see `needsAFrameBeforeClose`).
        let priming = frame == nil && !sawFrame && needsAFrameBeforeClose
        if priming, let blank = upscale_black_frame(codec) {
            var f: UnsafeMutablePointer<AVFrame>? = blank
            _ = avcodec_send_frame(codec, blank)
            av_frame_free(&f)
        }
        if frame == nil { drained = true } else { sawFrame = true }
        let rc = avcodec_send_frame(codec, frame?.frame)
        if rc < 0 && rc != upscale_averror_eof() {
            throw MediaError.encodeFailed(path: "", detail: "\(name): \(averrorText(rc))")
        }
        var out: [MediaPacket] = []
        while let pkt = av_packet_alloc() {
            let r = avcodec_receive_packet(codec, pkt)
            if r < 0 {
                var p: UnsafeMutablePointer<AVPacket>? = pkt
                av_packet_free(&p)
                if r == upscale_averror_eagain() || r == upscale_averror_eof() { break }
                throw MediaError.encodeFailed(path: "", detail: "\(name): \(averrorText(r))")
            }
            out.append(MediaPacket(owning: pkt))
        }
        return priming ? [] : out
    }
}
