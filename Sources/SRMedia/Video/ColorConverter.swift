import CFFmpeg
import SRKernels
import SRTensor

/// The colour description of a video stream: matrix, range, primaries and transfer, as FFmpeg's
/// raw enum values (so the pipeline can carry them without importing FFmpeg).
public struct ColorDescription: Sendable, Equatable {
    /// Creates a description from FFmpeg's enum values (AVColorSpace, AVColorPrimaries, AVColorTransferCharacteristic).
    public init(matrix: Int32, fullRange: Bool, primaries: Int32 = 2, transfer: Int32 = 2) {
        self.matrix = matrix; self.fullRange = fullRange; self.primaries = primaries; self.transfer = transfer
    }

    /// BT.709 limited range (HD video).
    public static let bt709 = ColorDescription(matrix: 1, fullRange: false, primaries: 1, transfer: 1)
    /// BT.601 (SMPTE 170M) limited range (SD video).
    public static let bt601 = ColorDescription(matrix: 6, fullRange: false, primaries: 6, transfer: 6)

    public var matrix: Int32
    public var fullRange: Bool
    public var primaries: Int32
    public var transfer: Int32

    /// The matrix that converts this stream: its own, or BT.709 for HD / BT.601 for SD when the
    /// file does not say (the convention players follow).
    func effectiveMatrix(height: Int) -> Int32 {
        let m = AVColorSpace(rawValue: UInt32(matrix))
        if m == AVCOL_SPC_UNSPECIFIED || m == AVCOL_SPC_RESERVED || m == AVCOL_SPC_RGB {
            return Int32(height >= 720 ? AVCOL_SPC_BT709.rawValue : AVCOL_SPC_SMPTE170M.rawValue)
        }
        return matrix
    }

    /// A short name of the matrix, for notes (`bt709`, `bt2020nc`, ...).
    public var matrixName: String { av_color_space_name(AVColorSpace(rawValue: UInt32(matrix))).map { String(cString: $0) } ?? "?" }
}

/// The convert stage: decoded frames to planar float RGB (0...1) with the stream's colour matrix and
/// range, and float RGB back to the encoder's pixel format, through libswscale (GBRPF32).
///
/// Threading: a converter keeps swscale contexts; use one per thread.
public final class ColorConverter: @unchecked Sendable {
    private var toRGBContext: OpaquePointer?
    private var fromRGBContext: OpaquePointer?

    /// Creates a converter.
    public init() {}

    deinit {
        sws_freeContext(toRGBContext)
        sws_freeContext(fromRGBContext)
    }

    /// FFmpeg's value for a pixel format name (`yuv420p10le`), nil when unknown.
    public static func pixelFormat(named name: String) -> Int32? {
        let f = av_get_pix_fmt(name)
        return f == AV_PIX_FMT_NONE ? nil : f.rawValue
    }

    /// The colour description a decoded frame carries.
    public static func description(of frame: MediaFrame) -> ColorDescription {
        let f = frame.frame.pointee
        let jpeg = Swscale.source(AVPixelFormat(rawValue: f.format)).fullRange
        return ColorDescription(matrix: Int32(f.colorspace.rawValue), fullRange: jpeg || f.color_range == AVCOL_RANGE_JPEG,
                                primaries: Int32(f.color_primaries.rawValue), transfer: Int32(f.color_trc.rawValue))
    }

    /// The frame's pixels as a 1 x 3 x H x W tensor in 0...1.
    public func rgb(from frame: MediaFrame, color: ColorDescription) throws -> Tensor {
        let f = frame.frame.pointee
        let w = Int(f.width), h = Int(f.height)
        // The deprecated J formats: same layout, full range (color.fullRange says so).
        let src = Swscale.source(AVPixelFormat(rawValue: f.format)).format
        toRGBContext = sws_getCachedContext(toRGBContext, Int32(w), Int32(h), src, Int32(w), Int32(h), AV_PIX_FMT_GBRPF32LE,
                                            Swscale.flags, nil, nil, nil)
        guard let sws = toRGBContext else {
            throw MediaError.decoderFailed(path: "", detail: "cannot convert pixel format \(pixelFormatName(src))")
        }
        if upscale_pix_fmt_is_rgb(src) == 0, let coeffs = sws_getCoefficients(color.effectiveMatrix(height: h)) {
            sws_setColorspaceDetails(sws, coeffs, color.fullRange ? 1 : 0, coeffs, 1, 0, 1 << 16, 1 << 16)
        }
        var out = Tensor(c: 3, h: h, w: w)
        let plane = w * h
        out.data.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            base.withMemoryRebound(to: UInt8.self, capacity: plane * 12) { bytes in
                // GBRP order: planes 0, 1, 2 are G, B, R.
                var dst: [UnsafeMutablePointer<UInt8>?] = [bytes + plane * 4, bytes + plane * 8, bytes, nil]
                var dstStride: [Int32] = [Int32(w * 4), Int32(w * 4), Int32(w * 4), 0]
                let planes = Swscale.planes(of: f)
                _ = sws_scale(sws, planes.data, planes.strides, 0, Int32(h), &dst, &dstStride)
            }
        }
        return out
    }

    /// A new frame of `format` and size `width x height` (at least the tensor's; extra columns and
    /// rows repeat the last ones) holding `rgb`, tagged with `color` and `pts`.
    public func frame(from rgb: Tensor, format: Int32, width: Int, height: Int, color: ColorDescription,
                      pts: Int64?) throws -> MediaFrame {
        let src = Kernels.replicatePad(rgb, top: 0, left: 0, bottom: height - rgb.h, right: width - rgb.w)
        let fmt = AVPixelFormat(rawValue: format)
        guard let f = av_frame_alloc() else { throw MediaError.encodeFailed(path: "", detail: "out of memory") }
        let frame = MediaFrame(owning: f)
        f.pointee.format = format
        f.pointee.width = Int32(width)
        f.pointee.height = Int32(height)
        guard av_frame_get_buffer(f, 0) >= 0 else { throw MediaError.encodeFailed(path: "", detail: "out of memory") }
        // The buffers come uninitialized; an encoder may read the alignment padding past the
        // picture (motion search), so it is zeroed: the same picture always encodes the same.
        for b in [f.pointee.buf.0, f.pointee.buf.1, f.pointee.buf.2, f.pointee.buf.3] {
            if let ref = b, let data = ref.pointee.data { memset(data, 0, Int(ref.pointee.size)) }
        }
        fromRGBContext = sws_getCachedContext(fromRGBContext, Int32(width), Int32(height), AV_PIX_FMT_GBRPF32LE,
                                              Int32(width), Int32(height), fmt, Swscale.flags, nil, nil, nil)
        guard let sws = fromRGBContext else {
            throw MediaError.encoderRefused(codec: "", detail: "cannot convert to pixel format \(pixelFormatName(fmt))")
        }
        let isRGB = upscale_pix_fmt_is_rgb(fmt) != 0
        if !isRGB, let coeffs = sws_getCoefficients(color.effectiveMatrix(height: height)) {
            sws_setColorspaceDetails(sws, coeffs, 1, coeffs, color.fullRange ? 1 : 0, 0, 1 << 16, 1 << 16)
        }
        let plane = width * height
        src.data.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            base.withMemoryRebound(to: UInt8.self, capacity: plane * 12) { bytes in
                let srcData: [UnsafePointer<UInt8>?] = [bytes + plane * 4, bytes + plane * 8, bytes, nil]
                let srcStride: [Int32] = [Int32(width * 4), Int32(width * 4), Int32(width * 4), 0]
                var (dst, dstStride) = Swscale.mutablePlanes(of: f.pointee)
                _ = sws_scale(sws, srcData, srcStride, 0, Int32(height), &dst, &dstStride)
            }
        }
        if !isRGB {
            f.pointee.colorspace = AVColorSpace(rawValue: UInt32(color.effectiveMatrix(height: rgb.h)))
            f.pointee.color_range = color.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        }
        f.pointee.color_primaries = AVColorPrimaries(rawValue: UInt32(color.primaries))
        f.pointee.color_trc = AVColorTransferCharacteristic(rawValue: UInt32(color.transfer))
        f.pointee.pts = pts ?? upscale_av_nopts_value()
        return frame
    }
}

/// FFmpeg's name of a pixel format.
func pixelFormatName(_ f: AVPixelFormat) -> String { av_get_pix_fmt_name(f).map { String(cString: $0) } ?? "unknown" }
