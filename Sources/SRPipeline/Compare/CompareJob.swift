import Foundation
import SRKernels
import SRLosses
import SRMedia
import SRTensor

/// The feature network of the LPIPS distance (`alex` or `vgg`).
public typealias LPIPSBackbone = LPIPS.Backbone

/// Typed configuration of `upscale compare REF DIST`.
public struct CompareConfig: Sendable {
    /// The reference image, or a folder of them.
    public var reference: String
    /// The image to judge, or a folder holding images of the same names.
    public var distorted: String
    /// Measure the Y channel (BT.601, the SR convention) instead of RGB.
    public var luma = false
    /// Pixels removed from every border first (SR papers crop the scale factor).
    public var crop = 0
    /// Also measure LPIPS with this backbone (on RGB, after the same crop).
    public var lpips: LPIPS.Backbone?

    /// Creates a configuration.
    public init(reference: String, distorted: String) { self.reference = reference; self.distorted = distorted }
}

/// The metrics of one image pair.
public struct CompareItem: Sendable, Codable {
    public var file: String
    public var psnr: Double
    public var ssim: Double
    /// LPIPS distance when asked for (lower is closer).
    public var lpips: Double?

    /// Creates an item.
    public init(file: String, psnr: Double, ssim: Double, lpips: Double? = nil) {
        self.file = file; self.psnr = psnr; self.ssim = ssim; self.lpips = lpips
    }
}

/// Compares images or same-named images of two folders.
public enum CompareJob {
    /// One item per pair, in natural order of the reference names.
    public static func run(_ config: CompareConfig) throws -> [CompareItem] {
        guard config.crop >= 0 else { throw PipelineError.invalidOption("--crop must not be negative (got \(config.crop))") }
        let pairs: [(String, String, String)]
        if FrameFolder.isFolderPath(config.reference) {
            let refs = try FrameFolder.list(config.reference)
            guard !refs.isEmpty else { throw PipelineError.invalidOption("'\(config.reference)' holds no images") }
            pairs = try refs.map { ref in
                let name = (ref as NSString).lastPathComponent
                let dist = (config.distorted as NSString).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: dist) else {
                    throw PipelineError.invalidOption("'\(dist)' is missing: every reference needs a same-named image")
                }
                return (name, ref, dist)
            }
        } else {
            pairs = [((config.distorted as NSString).lastPathComponent, config.reference, config.distorted)]
        }
        let net = try config.lpips.map { try LPIPS.load($0) }
        return try pairs.map { name, ref, dist in
            for p in [ref, dist] where !FileManager.default.fileExists(atPath: p) { throw PipelineError.inputMissing(p) }
            let a = try ImageFile.read(path: ref), b = try ImageFile.read(path: dist)
            guard a.width == b.width, a.height == b.height else {
                throw PipelineError.invalidOption("'\(dist)' is \(b.width)x\(b.height) but '\(ref)' is \(a.width)x\(a.height)")
            }
            guard a.width > 2 * config.crop + 10, a.height > 2 * config.crop + 10 else {
                throw PipelineError.invalidOption("'\(ref)' is too small for an 11x11 SSIM window after cropping \(config.crop)")
            }
            let pa = ImageMetrics.planes(a.pixels, luma: config.luma, crop: config.crop)
            let pb = ImageMetrics.planes(b.pixels, luma: config.luma, crop: config.crop)
            var item = CompareItem(file: name, psnr: ImageMetrics.psnr(pa, pb), ssim: ImageMetrics.ssim(pa, pb))
            if let net {
                item.lpips = net.distance(Self.cropped(a.pixels, config.crop), Self.cropped(b.pixels, config.crop), context: .allCores)
            }
            return item
        }
    }

    /// The image without `crop` pixels on every side.
    static func cropped(_ t: Tensor, _ crop: Int) -> Tensor {
        crop == 0 ? t : Kernels.crop(t, top: crop, left: crop, h: t.h - 2 * crop, w: t.w - 2 * crop)
    }
}
