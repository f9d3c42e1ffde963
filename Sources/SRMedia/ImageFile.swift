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
public enum ImageFile {
    // TRANSITIONAL API surface; implemented by the media work.
    /// Decodes the image at `path`.
    public static func read(path: String) throws -> RGBImage { throw MediaError.notImplemented }
    /// Encodes `image` to `path`, format by extension, via a temporary file renamed at the end.
    public static func write(_ image: RGBImage, to path: String, bitDepth: Int? = nil) throws { throw MediaError.notImplemented }
}

/// Errors of the media module; `description` is one line a user can act on.
public enum MediaError: Error, CustomStringConvertible {
    case notImplemented
    public var description: String { "not implemented" }
}
