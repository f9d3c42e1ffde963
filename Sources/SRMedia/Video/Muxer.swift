import CFFmpeg
import Foundation

/// The mux stage: writes the encoded video and every stream-copied input stream (audio,
/// subtitles, data, attachments) into the output container, with chapters, container and
/// stream tags, dispositions and side data (rotation, HDR) kept.
///
/// The file is written under `temporaryPath`, closed by `close()` and renamed to `path` by
/// `commit()`; `abort()` (or deinit without `commit()`) removes it. Output streams keep the input's order.
///
/// Threading: used by one thread at a time (the scheduler's writer).
public final class Muxer: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The final output path.
    public let path: String
    /// The input file (named in errors about its data).
    let inputPath: String
    /// Where the file is written until it is complete.
    public let temporaryPath: String
    /// Input stream index -> output stream (nil: dropped).
    private var outputIndex: [Int: Int] = [:]
    private var subtitleTranscoders: [Int: SubtitleTranscoder] = [:]
    private var opusShift: [Int: Int64] = [:]  // input stream -> Opus pre-skip samples
    private let inputTimeBases: [Int: AVRational]
    private var videoOutput = -1
    private var encoderTimeBase = AVRational(num: 1, den: 1)
    private var opened = false, closed = false, finished = false
    /// Packets written per input stream index (the video stream counts encoded packets).
    public private(set) var packetsWritten: [Int: Int] = [:]

    /// Container extensions we write and their libavformat muxers.
    public static let formats = ["mp4": "mp4", "m4v": "mp4", "mkv": "matroska", "mov": "mov", "webm": "webm", "ts": "mpegts"]

    /// Moves the mp4/mov index to the front when closing (`movflags +faststart`): playback can
    /// start before the whole file has downloaded.
    public var faststart = false

    /// Prepares the output for `input`; streams the container cannot hold are converted (text
    /// subtitles) or dropped, each with a note naming it. Without an input (frames encoded to
    /// video) the output holds the encoded video stream only.
    public init(path: String, input: Demuxer?, notes: (String) -> Void) throws {
        self.path = path
        inputPath = input?.path ?? path
        temporaryPath = AtomicFile.temporaryPath(for: path)
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let formatName = Muxer.formats[ext] else {
            throw MediaError.unknownContainer(path: path, ext: ext)
        }
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        guard avformat_alloc_output_context2(&ctx, nil, formatName, path) >= 0, let ctx else {
            throw MediaError.muxFailed(path: path, detail: "this FFmpeg cannot write \(formatName)")
        }
        context = ctx
        // The file lives under its temporary name until commit(); muxers that reopen it (mp4
        // faststart) must find it there.
        av_free(ctx.pointee.url)
        ctx.pointee.url = av_strdup(temporaryPath)
        // Timestamps are kept as they are: no shifting of every stream when one starts below zero
        // (Opus and AAC priming), which would move the video against the audio.
        ctx.pointee.avoid_negative_ts = 0
        var tbs: [Int: AVRational] = [:]
        guard let input else {
            guard let ost = avformat_new_stream(ctx, nil) else { throw MediaError.muxFailed(path: path, detail: "out of memory") }
            videoOutput = Int(ost.pointee.index)
            outputIndex[0] = videoOutput
            inputTimeBases = tbs
            return
        }
        av_dict_copy(&ctx.pointee.metadata, input.context.pointee.metadata, 0)
        for info in input.streams {
            guard let ist = input.stream(info.index) else { continue }
            tbs[info.index] = ist.pointee.time_base
            if info.index == input.videoStream.index {
                guard let ost = avformat_new_stream(ctx, nil) else { throw MediaError.muxFailed(path: path, detail: "out of memory") }
                videoOutput = Int(ost.pointee.index)
                outputIndex[info.index] = videoOutput
                continue
            }
            let codecID = ist.pointee.codecpar.pointee.codec_id
            let ofmt = ctx.pointee.oformat
            // libavformat's table says yes to Opus and FLAC in mov, but its writer refuses them.
            let movRefuses = formatName == "mov" && (codecID == AV_CODEC_ID_OPUS || codecID == AV_CODEC_ID_FLAC)
            // MPEG-TS answers "unknown": it carries DVB subtitles only (text would become data).
            let answer = avformat_query_codec(ofmt, codecID, FF_COMPLIANCE_NORMAL)
            let tsSubtitle = codecID == AV_CODEC_ID_DVB_SUBTITLE || codecID == AV_CODEC_ID_DVB_TELETEXT
            let fits = (answer == 1 || (answer < 0 && (info.kind != .subtitle || tsSubtitle))) && !movRefuses
            var transcoder: SubtitleTranscoder?
            if !fits {
                if info.kind == .subtitle, let target = SubtitleTranscoder.target(for: formatName),
                   let t = try? SubtitleTranscoder(input: ist, target: target) {
                    transcoder = t
                    notes("note: \(info.label) converted to \(String(cString: avcodec_get_name(target))) for \(ext)")
                } else {
                    notes("warning: \(info.label) dropped: \(ext) cannot hold \(info.codecName) (use mkv to keep it)")
                    continue
                }
            }
            if info.kind == .video {  // a second video stream (e.g. cover art): copied untouched
                notes("note: \(info.label) copied without upscaling")
            }
            guard let ost = avformat_new_stream(ctx, nil) else { throw MediaError.muxFailed(path: path, detail: "out of memory") }
            if let transcoder {
                transcoder.configure(ost)
                subtitleTranscoders[info.index] = transcoder
            } else {
                avcodec_parameters_copy(ost.pointee.codecpar, ist.pointee.codecpar)
                ost.pointee.codecpar.pointee.codec_tag = 0
                ost.pointee.time_base = ist.pointee.time_base
            }
            ost.pointee.disposition = ist.pointee.disposition
            ost.pointee.avg_frame_rate = ist.pointee.avg_frame_rate
            ost.pointee.r_frame_rate = ist.pointee.r_frame_rate
            ost.pointee.sample_aspect_ratio = ist.pointee.sample_aspect_ratio
            Muxer.copyTags(from: ist, to: ost)
            _ = upscale_copy_stream_side_data(ist, ost)
            outputIndex[info.index] = Int(ost.pointee.index)
            // Matroska subtracts an Opus stream's codec delay when reading but not when writing:
            // add it back so that the audio reads back at the time it had.
            let par = ost.pointee.codecpar.pointee
            if formatName == "matroska" || formatName == "webm", par.codec_id == AV_CODEC_ID_OPUS, par.initial_padding > 0 {
                opusShift[info.index] = Int64(par.initial_padding)
            }
        }
        inputTimeBases = tbs
        _ = upscale_copy_chapters(input.context, ctx)
    }

    deinit {
        abort()
        avformat_free_context(context)
    }

    /// Input stream indexes written to the output (the video stream included).
    public var keptStreams: Set<Int> { Set(outputIndex.keys) }

    /// True when encoders must put codec headers in extradata (mp4, mkv, ...).
    public var needsGlobalHeader: Bool { (context.pointee.oformat.pointee.flags & upscale_fmt_globalheader()) != 0 }

    /// Stream tags worth keeping: the input's, less the per-stream statistics mkv writers add
    /// (they would describe the old encoding).
    static func copyTags(from ist: UnsafeMutablePointer<AVStream>, to ost: UnsafeMutablePointer<AVStream>) {
        let tags = Dictionary(metadata: ist.pointee.metadata)
        for (k, v) in tags {
            let u = k.uppercased()
            if ["DURATION", "BPS", "NUMBER_OF_FRAMES", "NUMBER_OF_BYTES", "ENCODER", "ROTATE"].contains(u)
                || u.hasPrefix("_STATISTICS") || u.hasPrefix("BPS-") || u.hasPrefix("DURATION-")
                || u.hasPrefix("NUMBER_OF_") { continue }
            av_dict_set(&ost.pointee.metadata, k, v, 0)
        }
    }

    /// Describes the video stream from the opened encoder and the input video stream (tags,
    /// disposition, rotation, HDR side data; `firstFrame` supplies HDR data found only in the
    /// bitstream), then opens the file and writes the header.
    public func start(encoder: VideoEncoder, input: Demuxer?, firstFrame: MediaFrame?) throws {
        guard let ost = context.pointee.streams[videoOutput] else {
            throw MediaError.muxFailed(path: path, detail: "no video stream")
        }
        avcodec_parameters_from_context(ost.pointee.codecpar, encoder.codec)
        ost.pointee.time_base = encoder.codec.pointee.time_base
        ost.pointee.sample_aspect_ratio = encoder.codec.pointee.sample_aspect_ratio
        if let input, let ist = input.stream(input.videoStream.index) {
            ost.pointee.avg_frame_rate = ist.pointee.avg_frame_rate
            ost.pointee.r_frame_rate = ist.pointee.r_frame_rate
            ost.pointee.disposition = ist.pointee.disposition
            Muxer.copyTags(from: ist, to: ost)
            _ = upscale_copy_stream_side_data(ist, ost)
        } else {
            ost.pointee.avg_frame_rate = encoder.codec.pointee.framerate
            ost.pointee.r_frame_rate = encoder.codec.pointee.framerate
        }
        if let f = firstFrame { upscale_hdr_frame_to_stream(f.frame, ost) }
        encoderTimeBase = encoder.codec.pointee.time_base
        if (context.pointee.oformat.pointee.flags & upscale_fmt_nofile()) == 0 {
            TemporaryFiles.register(temporaryPath)
            let rc = avio_open(&context.pointee.pb, temporaryPath, AVIO_FLAG_WRITE)
            guard rc >= 0 else { throw MediaError.writeFailed(path: path, reason: averrorText(rc)) }
        }
        opened = true
        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        let name = String(cString: context.pointee.oformat.pointee.name)
        if faststart && (name == "mp4" || name == "mov") { av_dict_set(&options, "movflags", "+faststart", 0) }
        let rc = avformat_write_header(context, &options)
        guard rc >= 0 else { throw MediaError.muxFailed(path: path, detail: "cannot write the header (\(averrorText(rc)))") }
    }

    /// Writes an encoded video packet (in the encoder's time base).
    public func writeVideo(_ packet: MediaPacket) throws {
        let p = packet.packet
        p.pointee.stream_index = Int32(videoOutput)
        guard let ost = context.pointee.streams[videoOutput] else { return }
        av_packet_rescale_ts(p, encoderTimeBase, ost.pointee.time_base)
        try write(p, counting: -1)
    }

    /// Writes a packet of a stream-copied input stream (dropped streams are skipped).
    public func writeCopied(_ packet: MediaPacket) throws {
        let inIndex = packet.streamIndex
        guard let out = outputIndex[inIndex], out != videoOutput, let ost = context.pointee.streams[out],
              let itb = inputTimeBases[inIndex] else { return }
        if let t = subtitleTranscoders[inIndex] {
            for p in t.transcode(packet) {
                p.packet.pointee.stream_index = Int32(out)
                av_packet_rescale_ts(p.packet, t.timeBase, ost.pointee.time_base)
                try write(p.packet, counting: inIndex)
            }
            return
        }
        let p = packet.packet
        p.pointee.stream_index = Int32(out)
        p.pointee.pos = -1
        av_packet_rescale_ts(p, itb, ost.pointee.time_base)
        if let padding = opusShift[inIndex] {
            let shift = av_rescale_q(padding, AVRational(num: 1, den: 48000), ost.pointee.time_base)
            if p.pointee.pts != upscale_av_nopts_value() { p.pointee.pts += shift }
            if p.pointee.dts != upscale_av_nopts_value() { p.pointee.dts += shift }
        }
        do {
            try write(p, counting: inIndex)
        } catch MediaError.muxFailed(_, let detail) where p.pointee.flags & upscale_pkt_flag_corrupt() != 0
                                                        || detail == averrorText(upscale_averror_invaliddata()) {
            // A damaged packet of a copied stream (e.g. a broken ADTS header): skip it, count it.
            if strict {
                throw MediaError.corruptVideo(path: inputPath, detail: "damaged packet in stream #\(inIndex): \(detail)")
            }
            packetsWritten[inIndex, default: 1] -= 1
            skippedPackets += 1
        }
    }

    /// Copied packets skipped because they were damaged.
    public private(set) var skippedPackets = 0
    /// Damaged copied packets fail the run instead of being skipped.
    public var strict = false

    private func write(_ p: UnsafeMutablePointer<AVPacket>, counting index: Int) throws {
        packetsWritten[index, default: 0] += 1
        let rc = av_interleaved_write_frame(context, p)
        guard rc >= 0 else { throw MediaError.muxFailed(path: path, detail: averrorText(rc)) }
    }

    /// Writes the trailer and closes the file (still under `temporaryPath`; `commit()` renames it).
    public func close() throws {
        guard opened, !closed else { return }
        let rc = av_write_trailer(context)
        avio_closep(&context.pointee.pb)
        closed = true
        guard rc >= 0 else {
            abort()
            throw MediaError.muxFailed(path: path, detail: "cannot finish the file (\(averrorText(rc)))")
        }
    }

    /// Renames the closed file to `path`; with `replace` false an output that appeared meanwhile
    /// is kept and the result saved beside it (`AtomicFile.commit`).
    public func commit(replace: Bool = true) throws {
        try close()
        guard opened, !finished else { return }
        finished = true
        defer { TemporaryFiles.forget(temporaryPath) }
        try AtomicFile.commit(temporaryPath, to: path, replace: replace)
    }

    /// Closes and removes the partial file (safe to call more than once).
    public func abort() {
        guard opened, !finished else { return }
        finished = true
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        unlink(temporaryPath)
        TemporaryFiles.forget(temporaryPath)
    }
}
