import CFFmpeg

/// The decode stage: turns the video stream's packets into frames with libavcodec (frame threads),
/// concealing corrupt data by repeating the last good picture.
///
/// Threading: used by one thread at a time (the scheduler's reader).
/// End of stream: call `decode(nil)` once after the last packet to drain the frames FFmpeg holds.
public final class VideoDecoder: @unchecked Sendable {
    let codec: UnsafeMutablePointer<AVCodecContext>
    let path: String
    let strict: Bool
    private var lastGood: MediaFrame?
    /// Frames replaced by the previous good picture because their data was corrupt.
    public private(set) var concealed = 0
    /// Frames produced so far (concealed ones included).
    public private(set) var produced = 0

    /// Opens the decoder for the demuxer's video stream with `threads` frame threads.
    public init(demuxer: Demuxer, threads: Int = 2, strict: Bool = false) throws {
        path = demuxer.path
        self.strict = strict
        guard let st = demuxer.stream(demuxer.videoStream.index), let par = st.pointee.codecpar else {
            throw MediaError.decoderFailed(path: path, detail: "no stream")
        }
        guard let dec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError.decoderFailed(path: path, detail: "this FFmpeg has no decoder for \(demuxer.videoStream.codecName)")
        }
        guard let ctx = avcodec_alloc_context3(dec) else { throw MediaError.decoderFailed(path: path, detail: "out of memory") }
        var owned: UnsafeMutablePointer<AVCodecContext>? = ctx
        avcodec_parameters_to_context(ctx, par)
        ctx.pointee.pkt_timebase = st.pointee.time_base
        ctx.pointee.thread_count = Int32(max(1, threads))
        ctx.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        let rc = avcodec_open2(ctx, dec, nil)
        guard rc >= 0 else {
            avcodec_free_context(&owned)
            throw MediaError.decoderFailed(path: path, detail: averrorText(rc))
        }
        codec = ctx
    }

    /// Opens a decoder for what `encoder` writes (no container: its packets are fed in directly;
    /// the encoder must not use a global header). One thread.
    public init(decoding encoder: VideoEncoder) throws {
        path = "(\(encoder.name) round trip)"
        strict = false
        guard let dec = avcodec_find_decoder(encoder.codec.pointee.codec_id),
              let ctx = avcodec_alloc_context3(dec) else {
            throw MediaError.decoderFailed(path: path, detail: "this FFmpeg has no decoder for \(encoder.name)")
        }
        var owned: UnsafeMutablePointer<AVCodecContext>? = ctx
        ctx.pointee.thread_count = 1
        let rc = avcodec_open2(ctx, dec, nil)
        guard rc >= 0 else {
            avcodec_free_context(&owned)
            throw MediaError.decoderFailed(path: path, detail: averrorText(rc))
        }
        codec = ctx
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecContext>? = codec
        avcodec_free_context(&p)
    }

    /// Sends one packet (nil = end of stream) and returns the frames that became ready, in
    /// presentation order, each with `pts` set to FFmpeg's best-effort timestamp.
    public func decode(_ packet: MediaPacket?) throws -> [MediaFrame] {
        var out: [MediaFrame] = []
        let rc = avcodec_send_packet(codec, packet?.packet)
        if rc < 0 && rc != upscale_averror_eagain() && rc != upscale_averror_eof() {
            // The packet could not be decoded at all: its picture is the previous one.
            if strict { throw MediaError.corruptVideo(path: path, detail: averrorText(rc)) }
            if let p = packet, let copy = lastGood?.reference() {
                copy.frame.pointee.pts = p.packet.pointee.pts != upscale_av_nopts_value() ? p.packet.pointee.pts : p.packet.pointee.dts
                concealed += 1
                produced += 1
                out.append(copy)
            }
        }
        while true {
            guard let f = av_frame_alloc() else { break }
            let r = avcodec_receive_frame(codec, f)
            if r < 0 {
                var p: UnsafeMutablePointer<AVFrame>? = f
                av_frame_free(&p)
                if r == upscale_averror_eagain() || r == upscale_averror_eof() { break }
                if strict { throw MediaError.corruptVideo(path: path, detail: averrorText(r)) }
                break
            }
            f.pointee.pts = f.pointee.best_effort_timestamp
            let frame = MediaFrame(owning: f)
            let damaged = f.pointee.decode_error_flags != 0 || f.pointee.flags & upscale_frame_flag_corrupt() != 0
            produced += 1
            if damaged {
                if strict { throw MediaError.corruptVideo(path: path, detail: "damaged picture at pts \(f.pointee.pts)") }
                if let copy = lastGood?.reference() {
                    copy.frame.pointee.pts = f.pointee.pts
                    copy.frame.pointee.pkt_duration = f.pointee.pkt_duration
                    concealed += 1
                    out.append(copy)
                    continue
                }
                concealed += 1
            } else {
                lastGood = frame
            }
            out.append(frame)
        }
        return out
    }
}
