import CFFmpeg

/// Converts a text subtitle stream to the text codec an output container holds (SubRip/ASS to
/// mov_text for mp4 and mov, mov_text to SubRip for mkv, to WebVTT for webm).
///
/// Threading: used by the writer thread only.
final class SubtitleTranscoder: @unchecked Sendable {
    private let decoder: UnsafeMutablePointer<AVCodecContext>
    private let encoder: UnsafeMutablePointer<AVCodecContext>
    /// Packets come out in this time base (microseconds).
    let timeBase = AVRational(num: 1, den: Int32(AV_TIME_BASE))

    /// The text subtitle codec a container takes.
    static func target(for format: String) -> AVCodecID? {
        switch format {
        case "mp4", "mov": return AV_CODEC_ID_MOV_TEXT
        case "matroska": return AV_CODEC_ID_SUBRIP
        case "webm": return AV_CODEC_ID_WEBVTT
        default: return nil
        }
    }

    /// Opens a decoder for `input` (text subtitles only) and an encoder for `target`.
    init?(input: UnsafeMutablePointer<AVStream>, target: AVCodecID) throws {
        guard let par = input.pointee.codecpar,
              let desc = avcodec_descriptor_get(par.pointee.codec_id), desc.pointee.props & AV_CODEC_PROP_TEXT_SUB != 0,
              let dec = avcodec_find_decoder(par.pointee.codec_id), let enc = avcodec_find_encoder(target),
              let d = avcodec_alloc_context3(dec) else { return nil }
        var dOwned: UnsafeMutablePointer<AVCodecContext>? = d
        avcodec_parameters_to_context(d, par)
        d.pointee.pkt_timebase = input.pointee.time_base
        guard avcodec_open2(d, dec, nil) >= 0, let e = avcodec_alloc_context3(enc) else {
            avcodec_free_context(&dOwned)
            return nil
        }
        e.pointee.time_base = timeBase
        if let header = d.pointee.subtitle_header, d.pointee.subtitle_header_size > 0 {
            let n = Int(d.pointee.subtitle_header_size)
            if let copy = av_mallocz(n + 1)?.assumingMemoryBound(to: UInt8.self) {
                copy.update(from: header, count: n)
                e.pointee.subtitle_header = copy
                e.pointee.subtitle_header_size = Int32(n)
            }
        }
        var eOwned: UnsafeMutablePointer<AVCodecContext>? = e
        guard avcodec_open2(e, enc, nil) >= 0 else {
            avcodec_free_context(&dOwned)
            avcodec_free_context(&eOwned)
            return nil
        }
        decoder = d
        encoder = e
    }

    deinit {
        var d: UnsafeMutablePointer<AVCodecContext>? = decoder
        var e: UnsafeMutablePointer<AVCodecContext>? = encoder
        avcodec_free_context(&d)
        avcodec_free_context(&e)
    }

    /// Describes the output stream (codec, extradata such as the mov_text header).
    func configure(_ ost: UnsafeMutablePointer<AVStream>) {
        avcodec_parameters_from_context(ost.pointee.codecpar, encoder)
        ost.pointee.time_base = timeBase
    }

    /// Re-encodes one subtitle packet (none when it holds no text).
    func transcode(_ packet: MediaPacket) -> [MediaPacket] {
        var sub = AVSubtitle()
        var got: Int32 = 0
        guard avcodec_decode_subtitle2(decoder, &sub, &got, packet.packet) >= 0, got != 0 else { return [] }
        defer { avsubtitle_free(&sub) }
        // Normalise as FFmpeg's CLI does: the start offset moves into pts, the end becomes a duration.
        let startMs = Int64(sub.start_display_time)
        if sub.pts == upscale_av_nopts_value() {
            sub.pts = av_rescale_q(packet.packet.pointee.pts, decoder.pointee.pkt_timebase, timeBase)
        }
        sub.pts += startMs * 1000
        var durationMs = Int64(sub.end_display_time) - startMs
        if durationMs <= 0 || sub.end_display_time == UInt32.max, packet.packet.pointee.duration > 0 {
            durationMs = av_rescale_q(packet.packet.pointee.duration, decoder.pointee.pkt_timebase, AVRational(num: 1, den: 1000))
        }
        sub.end_display_time = UInt32(max(0, durationMs))
        sub.start_display_time = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let size = buffer.withUnsafeMutableBufferPointer { avcodec_encode_subtitle(encoder, $0.baseAddress, Int32($0.count), &sub) }
        guard size > 0, let pkt = av_packet_alloc() else { return [] }
        guard av_new_packet(pkt, size) >= 0, let data = pkt.pointee.data else {
            var p: UnsafeMutablePointer<AVPacket>? = pkt
            av_packet_free(&p)
            return []
        }
        data.update(from: buffer, count: Int(size))
        pkt.pointee.pts = sub.pts
        pkt.pointee.dts = sub.pts
        pkt.pointee.duration = durationMs * 1000
        return [MediaPacket(owning: pkt)]
    }
}
