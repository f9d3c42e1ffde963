import Foundation
import SRKernels
import SRMedia
import SRPipeline
import SRTensor

/// HR images held in memory with their bicubic LR versions, for drawing aligned training pairs.
///
/// Immutable after loading and `Sendable`: the batch loader reads it from a background queue.
public struct TrainingImages: Sendable {
    /// One image: HR (3 x H x W, cropped to a multiple of the scale) and LR (3 x H/s x W/s).
    public struct Pair: Sendable {
        public let name: String
        public let hr: Tensor, lr: Tensor
    }

    /// The pairs, in natural file order.
    public let pairs: [Pair]
    /// Enlargement factor.
    public let scale: Int

    /// Loads every image of `folders` (natural order). LR is `imresize` of HR by 1/scale (MATLAB
    /// bicubic with antialiasing); HR is first cropped to a multiple of `scale`, and to a centre
    /// window of `maxSide` when given (validation).
    public init(folders: [String], scale: Int, minSide: Int, maxSide: Int? = nil) throws {
        var files: [String] = []
        for f in folders {
            guard FileManager.default.fileExists(atPath: f) else {
                throw PipelineError.invalidOption("image folder '\(f)' does not exist (run `make data` for the default set)")
            }
            files += try FrameFolder.list(f)
        }
        guard !files.isEmpty else { throw PipelineError.invalidOption("no images in \(folders.joined(separator: ", "))") }
        var out: [Pair] = []
        for path in files {
            var hr = try ImageFile.read(path: path).pixels
            if let m = maxSide { hr = Kernels.centerCrop(hr, maxSide: m) }
            let h = hr.h / scale * scale, w = hr.w / scale * scale
            guard h / scale >= minSide, w / scale >= minSide else {
                throw PipelineError.invalidOption("'\(path)' is \(hr.w)x\(hr.h): too small for \(minSide)-pixel LR crops at x\(scale)")
            }
            if h != hr.h || w != hr.w { hr = Kernels.crop(hr, top: 0, left: 0, h: h, w: w) }
            let lr = scale == 1 ? hr : Kernels.imresize(hr, outH: h / scale, outW: w / scale)
            out.append(Pair(name: (path as NSString).lastPathComponent, hr: hr, lr: lr))
        }
        pairs = out; self.scale = scale
    }
}
