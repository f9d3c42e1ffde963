import CFFmpeg

/// Errors of the media module; `description` is one line a user can act on, naming the file.
public enum MediaError: Error, CustomStringConvertible, Sendable {
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
        }
    }
}

/// FFmpeg's text for an AVERROR code.
func averrorText(_ code: Int32) -> String {
    var buf = [CChar](repeating: 0, count: 128)
    av_strerror(code, &buf, buf.count)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Quiets FFmpeg's own logging once per process (errors are reported by us, one line each).
let quietFFmpegLogging: Void = { av_log_set_level(AV_LOG_QUIET) }()
