import CFFmpeg
import Foundation

/// The demux stage: opens a media file with libavformat and reads its packets in file order.
///
/// Threading: one thread uses a demuxer at a time (the scheduler's reader thread).
/// End of stream: `read()` returns nil at the end of the file; a file that ends early (truncated)
/// also ends with nil, and `truncated` tells.
public final class Demuxer: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The path opened.
    public let path: String
    /// Every stream of the file.
    public let streams: [StreamInfo]
    /// The video stream the pipeline upscales (the default/best one; attached pictures skipped).
    public let videoStream: StreamInfo
    /// True when reading stopped on an I/O or format error rather than at a clean end of file
    /// (a file cut short inside a container element usually ends cleanly: compare durations).
    public private(set) var truncated = false
    /// The error that stopped reading early, in FFmpeg's words.
    public private(set) var truncationReason: String?

    /// Opens `path`; throws a one-line error for a missing file, non-media data or no video.
    public init(path: String) throws {
        _ = quietFFmpegLogging
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: "No such file or directory")
        }
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        let rc = avformat_open_input(&ctx, path, nil, nil)
        guard rc >= 0, let ctx else {
            throw rc == upscale_averror(EACCES) ? MediaError.cannotOpen(path: path, reason: averrorText(rc))
                                                : MediaError.notMedia(path: path)
        }
        var owned: UnsafeMutablePointer<AVFormatContext>? = ctx
        // A file with stream headers but no readable packets still opens: "no frames" says more.
        guard avformat_find_stream_info(ctx, nil) >= 0 || ctx.pointee.nb_streams > 0 else {
            avformat_close_input(&owned)
            throw MediaError.notMedia(path: path)
        }
        context = ctx
        var infos: [StreamInfo] = []
        for i in 0..<Int(ctx.pointee.nb_streams) {
            if let st = ctx.pointee.streams[i] { infos.append(StreamInfo(st)) }
        }
        streams = infos
        let best = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        let isPicture = best >= 0 && (ctx.pointee.streams[Int(best)]?.pointee.disposition ?? 0) & AV_DISPOSITION_ATTACHED_PIC != 0
        guard best >= 0, !isPicture, let v = infos.first(where: { $0.index == Int(best) }) else {
            avformat_close_input(&owned)
            throw MediaError.noVideoStream(path: path)
        }
        videoStream = v
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&p)
    }

    /// The AVStream with `index`.
    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < Int(context.pointee.nb_streams) else { return nil }
        return context.pointee.streams[index]
    }

    /// Container duration in seconds (nil when unknown).
    public var duration: Double? {
        let d = context.pointee.duration
        return d == upscale_av_nopts_value() || d <= 0 ? nil : Double(d) / Double(AV_TIME_BASE)
    }

    /// Container tags.
    public var tags: [String: String] { Dictionary(metadata: context.pointee.metadata) }

    /// The container's format name (e.g. `mov,mp4,m4a,3gp,3g2,mj2`).
    public var formatName: String { context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "?" }

    /// Reads the next packet of any stream; nil at the end of the file (or where it breaks off).
    public func read() -> MediaPacket? {
        guard let pkt = av_packet_alloc() else { return nil }
        while true {
            let rc = av_read_frame(context, pkt)
            if rc >= 0 {
                if let st = stream(Int(pkt.pointee.stream_index)), pkt.pointee.pts != upscale_av_nopts_value() {
                    let end = Double(pkt.pointee.pts + max(0, pkt.pointee.duration)) * av_q2d(st.pointee.time_base)
                    lastEnd = max(lastEnd ?? end, end)
                }
                return MediaPacket(owning: pkt)
            }
            if rc == upscale_averror_eagain() { continue }
            if rc != upscale_averror_eof() {
                truncated = true
                truncationReason = averrorText(rc)
            }
            var p: UnsafeMutablePointer<AVPacket>? = pkt
            av_packet_free(&p)
            return nil
        }
    }

    private var lastEnd: Double?

    /// True (after reading to the end) when the packets stop well before the duration the
    /// container declares: the file was cut short.
    public var endsBeforeDeclaredDuration: Bool {
        guard let d = duration, let end = lastEnd else { return false }
        let start = context.pointee.start_time == upscale_av_nopts_value() ? 0 : Double(context.pointee.start_time) / Double(AV_TIME_BASE)
        // Some muxers store the end time rather than the length (a nonzero start): short by both.
        let slack = max(0.5, 0.1 * d)
        return end - start < d - slack && end < d - slack
    }

    /// Estimated video frame count: declared, else duration x average rate; nil when unknown.
    public var estimatedVideoFrames: Int? {
        if videoStream.declaredFrames > 0 { return videoStream.declaredFrames }
        let fps = videoStream.averageFrameRate.value
        guard fps > 0, let d = videoStream.duration ?? duration else { return nil }
        return Int((d * fps).rounded())
    }
}
