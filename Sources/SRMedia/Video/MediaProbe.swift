import CFFmpeg

/// What a media file holds, read by demuxing every packet (no decoding): the facts the
/// post-run audit and the tests compare between input and output.
public struct MediaSummary: Sendable {
    /// One stream.
    public struct Stream: Sendable {
        public var index: Int
        public var kind: StreamKind
        public var codec: String
        public var width = 0, height = 0
        public var pixelFormat = ""
        /// Sample (pixel) aspect ratio; 0/1 when unknown.
        public var sampleAspect = Rational(0, 1)
        /// Display rotation in degrees (ffprobe's sign), 0 when none.
        public var rotation = 0.0
        public var colorPrimaries = "", colorTransfer = "", colorMatrix = "", colorRange = ""
        public var hasMasteringDisplay = false, hasContentLight = false
        public var tags: [String: String] = [:]
        public var disposition: Int32 = 0
        /// First presentation time in seconds (nil: unknown).
        public var startTime: Double?
        /// Packets in the file.
        public var packets = 0
        /// Presentation times of the packets in seconds, sorted.
        public var times: [Double] = []
        /// Presentation times in the stream's own ticks, sorted, with the time base.
        public var ticks: [Int64] = []
        public var timeBase = Rational(1, 1)
        /// An FNV-1a hash of each packet's bytes, in file order.
        public var packetHashes: [UInt64] = []
        /// End of the last packet in seconds (pts + duration).
        public var end: Double = 0
        /// Packets with neither pts nor dts (not in `times`).
        public var untimedPackets = 0
    }

    public var format: String
    /// Container duration in seconds (0 when unknown).
    public var duration: Double
    public var tags: [String: String]
    /// Chapters as (start s, end s, title).
    public var chapters: [(start: Double, end: Double, title: String)]
    public var streams: [Stream]

    /// The first video stream.
    public var video: Stream? { streams.first { $0.kind == .video } }

    /// Reads `path` through to its end.
    public static func read(_ path: String) throws -> MediaSummary {
        let demuxer = try Demuxer(path: path)
        let ctx = demuxer.context
        var streams: [Stream] = []
        for info in demuxer.streams {
            guard let st = demuxer.stream(info.index) else { continue }
            let par = st.pointee.codecpar.pointee
            var s = Stream(index: info.index, kind: info.kind, codec: info.codecName)
            s.tags = info.tags
            s.disposition = st.pointee.disposition
            s.timeBase = info.timeBase
            s.startTime = info.startTime
            if info.kind == .video {
                s.width = Int(par.width); s.height = Int(par.height)
                s.pixelFormat = pixelFormatName(AVPixelFormat(rawValue: par.format))
                let sar = st.pointee.sample_aspect_ratio.num > 0 ? st.pointee.sample_aspect_ratio : par.sample_aspect_ratio
                s.sampleAspect = Rational(sar)
                s.rotation = upscale_stream_rotation(st)
                s.colorPrimaries = av_color_primaries_name(par.color_primaries).map { String(cString: $0) } ?? ""
                s.colorTransfer = av_color_transfer_name(par.color_trc).map { String(cString: $0) } ?? ""
                s.colorMatrix = av_color_space_name(par.color_space).map { String(cString: $0) } ?? ""
                s.colorRange = av_color_range_name(par.color_range).map { String(cString: $0) } ?? ""
                s.hasMasteringDisplay = upscale_stream_has_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA) != 0
                s.hasContentLight = upscale_stream_has_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL) != 0
            }
            streams.append(s)
        }
        while let packet = demuxer.read() {
            let p = packet.packet.pointee
            guard let i = streams.firstIndex(where: { $0.index == Int(p.stream_index) }) else { continue }
            streams[i].packets += 1
            let tb = streams[i].timeBase.value
            let pts = p.pts != upscale_av_nopts_value() ? p.pts : p.dts
            if pts != upscale_av_nopts_value() {
                streams[i].ticks.append(pts)
                streams[i].end = max(streams[i].end, Double(pts + max(p.duration, 0)) * tb)
            } else {
                streams[i].untimedPackets += 1
            }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            if let d = p.data {
                for k in 0..<Int(p.size) { h = (h ^ UInt64(d[k])) &* 0x100_0000_01b3 }
            }
            streams[i].packetHashes.append(h)
        }
        for i in streams.indices {
            streams[i].ticks.sort()
            let tb = streams[i].timeBase.value
            streams[i].times = streams[i].ticks.map { Double($0) * tb }
        }
        var chapters: [(Double, Double, String)] = []
        for i in 0..<Int(ctx.pointee.nb_chapters) {
            guard let c = ctx.pointee.chapters[i] else { continue }
            let tb = av_q2d(c.pointee.time_base)
            chapters.append((Double(c.pointee.start) * tb, Double(c.pointee.end) * tb,
                             Dictionary(metadata: c.pointee.metadata)["title"] ?? ""))
        }
        return MediaSummary(format: demuxer.formatName, duration: demuxer.duration ?? 0, tags: demuxer.tags,
                            chapters: chapters, streams: streams)
    }
}
