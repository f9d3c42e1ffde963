import CFFmpeg
import SRTensor

/// Classical resizing with libswscale (lanczos), plane by plane in 32-bit float.
///
/// Thread safety: every call has its own scaler context.
public enum Resampler {
    /// Resizes every channel of `t` (`1 x C x H x W`) to `width x height` with lanczos.
    public static func lanczos(_ t: Tensor, width: Int, height: Int) throws -> Tensor {
        guard width > 0, height > 0, t.w > 0, t.h > 0 else {
            throw MediaError.resampleFailed("cannot resize \(t.w)x\(t.h) to \(width)x\(height)")
        }
        _ = quietFFmpegLogging
        let fmt = AV_PIX_FMT_GRAYF32LE
        let flags = Int32(SWS_LANCZOS | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_BITEXACT)
        guard let sws = sws_getContext(Int32(t.w), Int32(t.h), fmt, Int32(width), Int32(height), fmt, flags, nil, nil, nil) else {
            throw MediaError.resampleFailed("libswscale cannot resize float planes")
        }
        defer { sws_freeContext(sws) }
        var out = Tensor(n: t.n, c: t.c, h: height, w: width)
        let inPlane = t.h * t.w, outPlane = width * height
        for p in 0..<(t.n * t.c) {
            var ok = true
            t.data.withUnsafeBufferPointer { src in
                out.data.withUnsafeMutableBufferPointer { dst in
                    guard let s = src.baseAddress, let d = dst.baseAddress else { ok = false; return }
                    let srcPtr = UnsafeRawPointer(s + p * inPlane).assumingMemoryBound(to: UInt8.self)
                    let dstPtr = UnsafeMutableRawPointer(d + p * outPlane).assumingMemoryBound(to: UInt8.self)
                    let srcData: [UnsafePointer<UInt8>?] = [srcPtr, nil, nil, nil]
                    let srcStride: [Int32] = [Int32(t.w * 4), 0, 0, 0]
                    var dstData: [UnsafeMutablePointer<UInt8>?] = [dstPtr, nil, nil, nil]
                    var dstStride: [Int32] = [Int32(width * 4), 0, 0, 0]
                    ok = sws_scale(sws, srcData, srcStride, 0, Int32(t.h), &dstData, &dstStride) == Int32(height)
                }
            }
            guard ok else { throw MediaError.resampleFailed("libswscale failed on plane \(p)") }
        }
        return out
    }
}
