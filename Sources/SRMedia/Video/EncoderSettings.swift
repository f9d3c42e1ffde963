import CFFmpeg
import Foundation

/// How the video is encoded: the user's `--codec`, `--crf`, `--encoder-preset`, `--pix-fmt` and
/// `--encoder-opt` values, with per-codec defaults.
public struct EncoderSettings: Sendable, Equatable {
    /// libavcodec encoder name (libx264, libx265, libsvtav1, libvpx-vp9, ffv1, prores_ks, ...).
    public var codec: String
    /// Constant-quality level; nil = the codec's default (`defaultCRF`); ignored by lossless codecs.
    public var crf: Int?
    /// Speed/quality preset (x264/x265 names, SVT-AV1 numbers); nil = the codec's default.
    public var preset: String?
    /// Output pixel format name; nil = the input's bit depth and chroma, at least 4:2:0.
    public var pixelFormat: String?
    /// Extra encoder options, passed to libavcodec as they are.
    public var options: [(key: String, value: String)]
    /// True when the codec was asked for; false for the default (which follows the container).
    public var codecGiven: Bool

    /// Creates settings.
    /// Creates settings; no `codec` means libx264 (libvpx-vp9 in a .webm file, see `forContainer`).
    public init(codec: String? = nil, crf: Int? = nil, preset: String? = nil, pixelFormat: String? = nil,
                options: [(key: String, value: String)] = []) {
        self.codec = codec ?? "libx264"; codecGiven = codec != nil
        self.crf = crf; self.preset = preset; self.pixelFormat = pixelFormat; self.options = options
    }

    /// These settings for the container of `path`: a .webm file holds VP8, VP9 or AV1 only, so the
    /// default codec there is libvpx-vp9 and another asked-for codec is refused up front.
    public func forContainer(path: String) throws -> EncoderSettings {
        guard (path as NSString).pathExtension.lowercased() == "webm" else { return self }
        let fits = ["vp8", "vp9", "av1", "libvpx"].contains { codec.contains($0) }
        if fits { return self }
        guard !codecGiven else {
            throw MediaError.encoderRefused(codec: codec, detail: "a .webm file holds VP8, VP9 or AV1 video: use --codec libvpx-vp9 (or libsvtav1)")
        }
        var s = self
        s.codec = "libvpx-vp9"
        return s
    }

    public static func == (a: EncoderSettings, b: EncoderSettings) -> Bool {
        a.codec == b.codec && a.crf == b.crf && a.preset == b.preset && a.pixelFormat == b.pixelFormat
            && a.options.map { "\($0.key)=\($0.value)" } == b.options.map { "\($0.key)=\($0.value)" }
    }

    /// The encoders `--codec` documents; any other libavcodec video encoder works too.
    public static let documentedCodecs = ["libx264", "libx265", "libsvtav1", "libvpx-vp9", "ffv1", "prores_ks"]

    /// The crf used when none is given (nil: the codec has no crf).
    public var defaultCRF: Int? {
        switch codec {
        case "libx264": return 18
        case "libx265": return 20
        case "libsvtav1": return 30
        case "libvpx-vp9": return 30
        default: return nil
        }
    }

    /// The preset used when none is given.
    public var defaultPreset: String? {
        switch codec {
        case "libx264", "libx265": return "medium"
        case "libsvtav1": return "8"
        default: return nil
        }
    }

    /// The largest frame the codec takes, as (max width, max height, max pixels, what limits it).
    var sizeLimit: (Int, Int, Int, String)? {
        switch codec {
        case "libx264": return (16384, 16384, 139_264 * 256, "H.264 level 6.2 allows 139264 macroblocks (8192x4352)")
        case "libx265": return (16888, 16888, 35_651_584, "HEVC level 6.2 allows 35651584 pixels (8192x4352)")
        case "libsvtav1": return (16384, 8704, 16384 * 8704, "SVT-AV1 takes at most 16384x8704")
        case "libvpx-vp9": return (16384, 16384, 16384 * 16384, "libvpx takes at most 16384x16384")
        case "prores_ks": return (8192, 8192, 8192 * 8192, "ProRes takes at most 8192x8192")
        default: return nil
        }
    }

    /// Throws when the codec cannot take a `width x height` frame.
    public func checkSize(width: Int, height: Int) throws {
        guard let (mw, mh, mp, why) = sizeLimit else { return }
        let pixels = codec == "libx264" ? ((width + 15) / 16) * ((height + 15) / 16) * 256 : width * height
        if width > mw || height > mh || pixels > mp {
            throw MediaError.encoderRefused(codec: codec, detail: "cannot encode \(width)x\(height): \(why); "
                                            + "use a smaller --scale/--width or another --codec")
        }
    }
}
