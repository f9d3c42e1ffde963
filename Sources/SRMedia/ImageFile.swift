import Foundation
import SRTensor

/// A decoded still image: RGB planes in 0...1 plus an optional alpha plane.
public struct RGBImage: Sendable {
    /// `1 x 3 x H x W`, values in 0...1 (R, G, B planes).
    public var pixels: Tensor
    /// `1 x 1 x H x W` in 0...1 when the source had alpha.
    public var alpha: Tensor?
    /// Bits per component of the source (8 or 16); writers keep it unless told otherwise.
    public var bitDepth: Int
    /// True when the source was grayscale (written back as gray where the format allows).
    public var isGray: Bool

    /// Creates an image from planes.
    public init(pixels: Tensor, alpha: Tensor? = nil, bitDepth: Int = 8, isGray: Bool = false) {
        self.pixels = pixels; self.alpha = alpha; self.bitDepth = bitDepth; self.isGray = isGray
    }

    /// Width in pixels.
    public var width: Int { pixels.w }
    /// Height in pixels.
    public var height: Int { pixels.h }
}

/// Reading and writing still images through FFmpeg (PNG, JPEG, WebP, TIFF, BMP).
///
/// Thread safety: `read` and `write` may be called from several threads at once.
public enum ImageFile {
    /// Decodes the image at `path` (8/16-bit, gray, alpha, palette, JPEG YUV) into float planes.
    public static func read(path: String) throws -> RGBImage {
        try ImageDecoder.decode(path: path)
    }

    /// Decodes an image file's bytes already in memory; `name` names it in errors.
    public static func decode(bytes: Data, name: String) throws -> RGBImage {
        try ImageDecoder.decode(bytes: bytes, path: name)
    }

    /// Encodes `image` to `path` (format by extension), writing a temporary file in the same
    /// folder and renaming it over `path` only when complete; on failure nothing is left behind.
    /// `bitDepth` (else the image's) selects 16-bit output where the format has it (PNG, TIFF).
    /// With `replace` false an output that appeared during the run is kept (`AtomicFile.commit`).
    public static func write(_ image: RGBImage, to path: String, bitDepth: Int? = nil, replace: Bool = true) throws {
        let ext = (path as NSString).pathExtension
        guard let format = ImageEncoder.Format(extension: ext) else {
            throw MediaError.unknownOutputFormat(path: path, ext: ext)
        }
        let bytes = try ImageEncoder.encode(image, format: format, bitDepth: bitDepth ?? image.bitDepth, path: path)
        try AtomicFile.write(bytes, to: path, replace: replace)
    }

    /// `pixels` (3 x H x W, 0...1) after a JPEG encode and decode with libavcodec's mjpeg at
    /// quantizer scale `qscale` (2 best ... 31 worst): the compression artifacts of a real JPEG,
    /// for training degradations. Nothing touches the disk.
    public static func jpegRoundTrip(_ pixels: Tensor, qscale: Int) throws -> Tensor {
        var clamped = pixels
        clamped.clamp()
        let bytes = try ImageEncoder.encode(RGBImage(pixels: clamped), format: .jpeg, bitDepth: 8, path: "(jpeg degradation)", jpegQScale: qscale)
        return try ImageDecoder.decode(bytes: bytes, path: "(jpeg degradation)").pixels
    }

    /// True when `ext` (without dot, any case) is a format `write` supports.
    public static func canWrite(extension ext: String) -> Bool { ImageEncoder.Format(extension: ext) != nil }

    /// True when the path's extension names a still-image format we read and write.
    public static func isImagePath(_ path: String) -> Bool {
        canWrite(extension: (path as NSString).pathExtension.lowercased())
    }
}
