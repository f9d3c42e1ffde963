import CFFmpeg

extension MediaPacket {
    /// A packet holding a copy of `bytes` with the given timing (for packets read back from a
    /// segment file); nil when FFmpeg cannot allocate it.
    public convenience init?(bytes: [UInt8], pts: Int64?, dts: Int64?, duration: Int64, key: Bool) {
        guard let pkt = av_packet_alloc() else { return nil }
        guard av_new_packet(pkt, Int32(bytes.count)) >= 0 else {
            var p: UnsafeMutablePointer<AVPacket>? = pkt
            av_packet_free(&p)
            return nil
        }
        if let data = pkt.pointee.data {
            bytes.withUnsafeBufferPointer { b in if let s = b.baseAddress { data.update(from: s, count: b.count) } }
        }
        pkt.pointee.pts = pts ?? upscale_av_nopts_value()
        pkt.pointee.dts = dts ?? upscale_av_nopts_value()
        pkt.pointee.duration = duration
        pkt.pointee.flags = key ? AV_PKT_FLAG_KEY : 0
        self.init(owning: pkt)
    }

    /// Presentation timestamp in its stream's time base (nil when unknown).
    public var pts: Int64? { packet.pointee.pts == upscale_av_nopts_value() ? nil : packet.pointee.pts }
    /// Decoding timestamp in its stream's time base (nil when unknown).
    public var dts: Int64? { packet.pointee.dts == upscale_av_nopts_value() ? nil : packet.pointee.dts }
    /// Duration in its stream's time base (0 when unknown).
    public var duration: Int64 { packet.pointee.duration }
    /// True for a keyframe (a decoder can start here).
    public var isKey: Bool { packet.pointee.flags & AV_PKT_FLAG_KEY != 0 }
    /// The payload bytes.
    public var bytes: [UInt8] {
        guard let d = packet.pointee.data, packet.pointee.size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: d, count: Int(packet.pointee.size)))
    }
    /// Sets the decoding timestamp (the join keeps it increasing across segments).
    public func setDTS(_ dts: Int64) { packet.pointee.dts = dts }
}

extension Demuxer {
    /// Moves reading to the last video keyframe at or before `timestamp` (video time base; a
    /// packet's dts from a scan), so that decoding restarts there. The caller flushes its decoder.
    public func seekVideo(to timestamp: Int64) throws {
        let rc = av_seek_frame(context, Int32(videoStream.index), timestamp, AVSEEK_FLAG_BACKWARD)
        guard rc >= 0 else { throw MediaError.cannotOpen(path: path, reason: "cannot seek (\(averrorText(rc)))") }
    }
}

extension VideoDecoder {
    /// Drops every buffered frame (after a seek): the next packet starts decoding afresh.
    public func flush() { avcodec_flush_buffers(codec) }
}

extension VideoEncoder {
    /// The codec headers the encoder put in extradata (empty when it writes them in-band).
    public var extradata: [UInt8] {
        guard let d = codec.pointee.extradata, codec.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: d, count: Int(codec.pointee.extradata_size)))
    }
}
