import CFFmpeg
import SRKernels
import SRTensor

/// Video-codec compression as a degradation: RGB pictures encoded as 4:2:0 YUV with a real
/// libavcodec encoder (libx264 at a CRF, mpeg2video at a fixed quantizer scale) and decoded
/// again, so the result carries the codec's blocks, ringing, chroma loss and (from the second
/// picture on) inter-prediction artifacts.
///
/// Threading: each call is independent (its own encoder, decoder and converter); reentrant.
public enum CodecRoundTrip {
    /// A codec and its quality setting.
    public enum Codec: Sendable, Equatable, CustomStringConvertible {
        /// libx264 at constant rate factor `crf` (0...51, higher is worse), preset `medium`, no mbtree.
        case h264(crf: Int)
        /// mpeg2video at quantizer scale `q` (1...31, higher is worse), as `ffmpeg -q:v q`.
        case mpeg2(q: Int)

        public var description: String {
            switch self {
            case .h264(let crf): return "h264:crf=\(crf)"
            case .mpeg2(let q): return "mpeg2:q=\(q)"
            }
        }

        var settings: EncoderSettings {
            switch self {
            case .h264(let crf):
                // No macroblock tree: on a few tiny pictures its lookahead reads state that varies from
                // call to call (measured), and a degradation must be the same for the same seed.
                return EncoderSettings(codec: "libx264", crf: crf, preset: "medium", pixelFormat: "yuv420p",
                                       options: [("x264-params", "mbtree=0")])
            case .mpeg2(let q):
                // FF_QP2LAMBDA = 118: ffmpeg's -q:v is global_quality with the qscale flag.
                return EncoderSettings(codec: "mpeg2video", pixelFormat: "yuv420p",
                                       options: [("flags", "+qscale"), ("global_quality", String(q * 118))])
            }
        }
    }

    /// The pictures (each `1 x 3 x H x W` in 0...1, all of one size; even sides are best, odd ones
    /// are padded and cropped back) after one encode and decode, in order. The first is an intra
    /// picture; the later ones are predicted from it.
    public static func run(_ pictures: [Tensor], codec: Codec) throws -> [Tensor] {
        guard let first = pictures.first else { return [] }
        _ = quietFFmpegLogging
        let w = first.w, h = first.h
        let yuv = AV_PIX_FMT_YUV420P.rawValue
        let encoder = try VideoEncoder(settings: codec.settings, width: w, height: h, inputPixelFormat: yuv,
                                       timeBase: Rational(1, 25), frameRate: Rational(25, 1), aspect: Rational(1, 1),
                                       color: .bt601, globalHeader: false, hdrParams: nil, threads: 1, notes: { _ in })
        let decoder = try VideoDecoder(decoding: encoder)
        let converter = ColorConverter()
        var decoded: [MediaFrame] = []
        for (i, p) in pictures.enumerated() {
            var clamped = p
            clamped.clamp()
            let frame = try converter.frame(from: clamped, format: yuv, width: encoder.width, height: encoder.height,
                                            color: .bt601, pts: Int64(i))
            // mpeg2video's fixed quantizer is read from each picture's quality (as ffmpeg -q:v does).
            if case .mpeg2(let q) = codec { frame.frame.pointee.quality = Int32(q * 118) }
            for packet in try encoder.encode(frame) { decoded += try decoder.decode(packet) }
        }
        for packet in try encoder.encode(nil) { decoded += try decoder.decode(packet) }
        decoded += try decoder.decode(nil)
        guard decoded.count == pictures.count else {
            throw MediaError.decoderFailed(path: "(\(codec) round trip)",
                                           detail: "\(pictures.count) pictures in, \(decoded.count) out")
        }
        return try decoded.map { f in
            let rgb = try converter.rgb(from: f, color: .bt601)
            return rgb.w == w && rgb.h == h ? rgb : Kernels.crop(rgb, top: 0, left: 0, h: h, w: w)
        }
    }
}
