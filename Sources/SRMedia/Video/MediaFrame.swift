import CFFmpeg

/// An owned, reference-counted FFmpeg frame that can move between pipeline stages.
///
/// Thread safety: one stage owns a frame at a time (handed over through a queue); it is
/// never touched by two threads at once, which is why the unchecked Sendable is sound.
public final class MediaFrame: @unchecked Sendable {
    let frame: UnsafeMutablePointer<AVFrame>

    /// Takes ownership of `frame` (freed on deinit).
    init(owning frame: UnsafeMutablePointer<AVFrame>) { self.frame = frame }

    /// A new reference to the same picture (FFmpeg's reference counting; no pixel copy).
    func reference() -> MediaFrame? {
        guard let copy = av_frame_clone(frame) else { return nil }
        return MediaFrame(owning: copy)
    }

    /// The same picture (no pixel copy) at another presentation timestamp: a frame whose output
    /// repeats the previous one is encoded from the previous conversion.
    public func retimed(_ pts: Int64?) -> MediaFrame? {
        guard let copy = reference() else { return nil }
        copy.frame.pointee.pts = pts ?? upscale_av_nopts_value()
        return copy
    }

    deinit {
        var p: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&p)
    }

    /// Presentation timestamp in the stream's time base (nil when unknown).
    public var pts: Int64? {
        let v = frame.pointee.pts
        return v == upscale_av_nopts_value() ? nil : v
    }
    /// Width in pixels.
    public var width: Int { Int(frame.pointee.width) }
    /// Height in pixels.
    public var height: Int { Int(frame.pointee.height) }
}

/// An owned FFmpeg packet that can move between pipeline stages (same ownership rule as
/// `MediaFrame`).
public final class MediaPacket: @unchecked Sendable {
    let packet: UnsafeMutablePointer<AVPacket>

    /// Takes ownership of `packet` (freed on deinit).
    init(owning packet: UnsafeMutablePointer<AVPacket>) { self.packet = packet }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
    }

    /// The index of the stream this packet belongs to (in its input file).
    public var streamIndex: Int { Int(packet.pointee.stream_index) }
}
