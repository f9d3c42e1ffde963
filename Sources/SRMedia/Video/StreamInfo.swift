import CFFmpeg

/// What kind of data a stream carries.
public enum StreamKind: String, Sendable {
    case video, audio, subtitle, data, attachment, unknown

    init(_ t: AVMediaType) {
        switch t {
        case AVMEDIA_TYPE_VIDEO: self = .video
        case AVMEDIA_TYPE_AUDIO: self = .audio
        case AVMEDIA_TYPE_SUBTITLE: self = .subtitle
        case AVMEDIA_TYPE_DATA: self = .data
        case AVMEDIA_TYPE_ATTACHMENT: self = .attachment
        default: self = .unknown
        }
    }
}

/// A rational number (FFmpeg's AVRational) that Swift code outside SRMedia can hold.
public struct Rational: Sendable, Equatable, CustomStringConvertible {
    public var num: Int
    public var den: Int
    /// Creates `num/den`.
    public init(_ num: Int, _ den: Int) { self.num = num; self.den = den }
    init(_ r: AVRational) { num = Int(r.num); den = Int(r.den) }
    var av: AVRational { AVRational(num: Int32(num), den: Int32(den)) }
    /// The value as a Double (0 when the denominator is 0).
    public var value: Double { den == 0 ? 0 : Double(num) / Double(den) }
    public var description: String { "\(num)/\(den)" }
}

/// A description of one input stream, for plans, progress and error messages.
public struct StreamInfo: Sendable {
    public var index: Int
    public var kind: StreamKind
    public var codecName: String
    public var timeBase: Rational
    /// Start time in seconds (nil when unknown).
    public var startTime: Double?
    /// Duration in seconds (nil when unknown).
    public var duration: Double?
    /// Frame count the container declares (0 when unknown).
    public var declaredFrames: Int
    /// Average frame rate (0/0 when unknown).
    public var averageFrameRate: Rational
    /// Stream tags (language, title, handler...).
    public var tags: [String: String]
    /// A short human name: `#1 audio (aac, eng)`.
    public var label: String {
        var extra = [codecName]
        if let l = tags["language"], l != "und" { extra.append(l) }
        return "#\(index) \(kind.rawValue) (\(extra.joined(separator: ", ")))"
    }

    init(_ st: UnsafeMutablePointer<AVStream>) {
        let par = st.pointee.codecpar.pointee
        index = Int(st.pointee.index)
        kind = StreamKind(par.codec_type)
        codecName = avcodec_get_name(par.codec_id).map { String(cString: $0) } ?? "unknown"
        timeBase = Rational(st.pointee.time_base)
        let tb = av_q2d(st.pointee.time_base)
        startTime = st.pointee.start_time == upscale_av_nopts_value() ? nil : Double(st.pointee.start_time) * tb
        duration = st.pointee.duration == upscale_av_nopts_value() ? nil : Double(st.pointee.duration) * tb
        declaredFrames = Int(st.pointee.nb_frames)
        averageFrameRate = Rational(st.pointee.avg_frame_rate)
        tags = Dictionary(metadata: st.pointee.metadata)
    }
}

extension Dictionary where Key == String, Value == String {
    /// The entries of an AVDictionary.
    init(metadata: OpaquePointer?) {
        self.init()
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let e = av_dict_get(metadata, "", entry, AV_DICT_IGNORE_SUFFIX) {
            if let k = e.pointee.key, let v = e.pointee.value { self[String(cString: k)] = String(cString: v) }
            entry = e
        }
    }
}
