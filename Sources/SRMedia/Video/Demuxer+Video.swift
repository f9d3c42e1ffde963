import CFFmpeg

/// Facts about the video stream the scheduler needs to set up the encoder, without FFmpeg types.
extension Demuxer {
    private var videoParameters: AVCodecParameters? { stream(videoStream.index)?.pointee.codecpar.pointee }

    /// Coded width and height of the video stream.
    public var videoSize: (width: Int, height: Int) { (Int(videoParameters?.width ?? 0), Int(videoParameters?.height ?? 0)) }

    /// The video stream's pixel format (FFmpeg's raw value).
    public var videoPixelFormat: Int32 { videoParameters?.format ?? AV_PIX_FMT_YUV420P.rawValue }

    /// Bits per component of the video stream (8, 10, 12, ...).
    public var videoBitDepth: Int { max(8, Int(upscale_pix_fmt_depth(AVPixelFormat(rawValue: videoPixelFormat)))) }

    /// The video stream's pixel format name (e.g. `yuv420p10le`).
    public var videoPixelFormatName: String { pixelFormatName(AVPixelFormat(rawValue: videoPixelFormat)) }

    /// The video stream's colour description.
    public var videoColor: ColorDescription {
        guard let p = videoParameters else { return ColorDescription(matrix: 2, fullRange: false, primaries: 2, transfer: 2) }
        let fmt = AVPixelFormat(rawValue: p.format)
        let jpeg = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P].contains(fmt)
        return ColorDescription(matrix: Int32(p.color_space.rawValue), fullRange: jpeg || p.color_range == AVCOL_RANGE_JPEG,
                                primaries: Int32(p.color_primaries.rawValue), transfer: Int32(p.color_trc.rawValue))
    }

    /// Sample (pixel) aspect ratio of the video (1/1 when unknown).
    public var videoSampleAspect: Rational {
        guard let st = stream(videoStream.index) else { return Rational(1, 1) }
        let s = st.pointee.sample_aspect_ratio.num > 0 ? st.pointee.sample_aspect_ratio : st.pointee.codecpar.pointee.sample_aspect_ratio
        return s.num > 0 && s.den > 0 ? Rational(s) : Rational(1, 1)
    }

    /// The frame rate to hint to encoders: the average rate, else the container's base rate.
    public var videoFrameRate: Rational {
        guard let st = stream(videoStream.index) else { return Rational(25, 1) }
        if st.pointee.avg_frame_rate.num > 0 && st.pointee.avg_frame_rate.den > 0 { return Rational(st.pointee.avg_frame_rate) }
        if st.pointee.r_frame_rate.num > 0 && st.pointee.r_frame_rate.den > 0 { return Rational(st.pointee.r_frame_rate) }
        return Rational(25, 1)
    }

    /// x265 HDR10 parameters for the stream's (or `frame`'s) mastering display and content light.
    public func hdrParameters(frame: MediaFrame?) -> String? {
        guard let st = stream(videoStream.index) else { return nil }
        var buf = [CChar](repeating: 0, count: 512)
        let n = upscale_x265_hdr_params(st, frame?.frame, &buf, buf.count)
        guard n > 0 else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `packet` belongs to the upscaled video stream.
    public func isVideo(_ packet: MediaPacket) -> Bool { packet.streamIndex == videoStream.index }
}

extension MediaFrame {
    /// Frame duration in its stream's time base (0 when unknown).
    public var duration: Int64 { frame.pointee.pkt_duration }

    /// Sets the presentation timestamp.
    public func setPTS(_ pts: Int64) { frame.pointee.pts = pts }
}
