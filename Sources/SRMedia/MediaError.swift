import CFFmpeg
import Foundation
import SRTensor

/// Errors of the media module; `description` is one line a user can act on, naming the file.
public enum MediaError: UserFacingError {
    /// The file cannot be opened (missing, permission); `reason` is the system's message.
    case cannotOpen(path: String, reason: String)
    /// The file is not an image we can decode.
    case notAnImage(path: String)
    /// The decoder rejected the data.
    case corrupt(path: String, detail: String)
    /// The output extension names no format we write.
    case unknownOutputFormat(path: String, ext: String)
    /// The encoder for a format is missing from this FFmpeg build.
    case encoderMissing(path: String, format: String)
    /// Encoding failed.
    case encodeFailed(path: String, detail: String)
    /// Writing the file failed (disk full, permission).
    case writeFailed(path: String, reason: String)
    /// A resize that cannot be done (bad size, unsupported layout).
    case resampleFailed(String)
    /// The file is not audio/video data libavformat can read.
    case notMedia(path: String)
    /// The file has no video stream to upscale.
    case noVideoStream(path: String)
    /// The video stream has no decoder in this FFmpeg, or it failed to open.
    case decoderFailed(path: String, detail: String)
    /// No decodable video frame at all.
    case noFrames(path: String)
    /// Corrupt input data (video or a copied stream) where `--strict` forbids concealing it.
    case corruptVideo(path: String, detail: String)
    /// The encoder cannot be used as asked (unknown codec, size it cannot take, bad option).
    case encoderRefused(codec: String, detail: String)
    /// The output extension names no container we write.
    case unknownContainer(path: String, ext: String)
    /// The output container cannot be written.
    case muxFailed(path: String, detail: String)
    /// The output appeared while it was being made (another run) and was kept; the result is at `keptAs`.
    case outputAppeared(path: String, keptAs: String)

    /// Process exit code: 1 when the input or the request is at fault, 2 when processing failed.
    public var exitCode: Int32 {
        switch self {
        case .encodeFailed, .writeFailed, .muxFailed, .corruptVideo: return 2
        default: return 1
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "cannot open '\(p)': \(r)"
        case .notAnImage(let p): return "'\(p)' is not an image FFmpeg can decode (PNG, JPEG, WebP, TIFF, BMP)"
        case .corrupt(let p, let d): return "'\(p)': corrupt image data (\(d))"
        case .unknownOutputFormat(let p, let e):
            return "cannot write '\(p)': unknown image format '.\(e)' (use png, jpg, webp, tiff or bmp)"
        case .encoderMissing(let p, let f): return "cannot write '\(p)': this FFmpeg has no \(f) encoder"
        case .encodeFailed(let p, let d): return "cannot write '\(p)': encoding failed (\(d))"
        case .writeFailed(let p, let r): return "cannot write '\(p)': \(r)"
        case .resampleFailed(let m): return "resize failed: \(m)"
        case .notMedia(let p): return "'\(p)' is not a media file FFmpeg can read"
        case .noVideoStream(let p): return "'\(p)' has no video stream to upscale"
        case .decoderFailed(let p, let d): return "'\(p)': cannot decode the video stream (\(d))"
        case .noFrames(let p): return "'\(p)': the video stream has no decodable frames"
        case .outputAppeared(let p, let k):
            return "'\(p)' appeared while upscaling (another run?) and was kept; the result is '\(k)' (-y replaces)"
        case .corruptVideo(let p, let d): return "'\(p)': corrupt data (\(d)); without --strict it is concealed or skipped"
        case .encoderRefused(let c, let d): return "encoder \(c): \(d)"
        case .muxFailed(let p, let d): return "cannot write '\(p)': \(d)"
        case .unknownContainer(let p, let e):
            return "cannot write '\(p)': unknown container '.\(e)' (use mp4, mkv, mov, webm or ts)"
        }
    }
}

/// FFmpeg's text for an AVERROR code.
func averrorText(_ code: Int32) -> String {
    var buf = [CChar](repeating: 0, count: 128)
    av_strerror(code, &buf, buf.count)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Quiets FFmpeg's own logging once per process (errors are reported by us, one line each);
/// `UPSCALE_FFMPEG_LOG=1` keeps FFmpeg's warnings, for debugging.
let quietFFmpegLogging: Void = {
    av_log_set_level(getenv("UPSCALE_FFMPEG_LOG") != nil ? AV_LOG_WARNING : AV_LOG_QUIET)
}()
