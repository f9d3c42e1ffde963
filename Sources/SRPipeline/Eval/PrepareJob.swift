import Foundation
import SRKernels
import SRMedia

/// `upscale prepare`: makes HR training or validation images from photos: decode, shrink by an
/// antialiased MATLAB-style bicubic factor (which also removes JPEG blocking), optionally crop to
/// a centre window, write 8-bit PNG under a temporary name and rename. Existing outputs are kept.
public enum PrepareJob {
    /// Writes `<stem>.png` into `outputDir` for each input; returns (written, skipped).
    public static func run(inputs: [String], outputDir: String, shrink: Double, maxSide: Int? = nil,
                           notes: (String) -> Void = { _ in }) throws -> (written: Int, skipped: Int) {
        guard shrink >= 1 else { throw PipelineError.invalidOption("--shrink must be at least 1 (got \(shrink))") }
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        var written = 0, skipped = 0
        for path in inputs {
            guard FileManager.default.fileExists(atPath: path) else { throw PipelineError.inputMissing(path) }
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let out = (outputDir as NSString).appendingPathComponent(stem + ".png")
            if FileManager.default.fileExists(atPath: out) { skipped += 1; continue }
            var image = try ImageFile.read(path: path)
            var t = image.pixels
            if shrink > 1 { t = Kernels.imresize(t, outH: max(1, Int((Double(t.h) / shrink).rounded())), outW: max(1, Int((Double(t.w) / shrink).rounded()))) }
            if let m = maxSide { t = Kernels.centerCrop(t, maxSide: m) }
            t.clamp()
            image = RGBImage(pixels: t, bitDepth: 8, isGray: image.isGray)
            try ImageFile.write(image, to: out, bitDepth: 8)
            notes("\(path) -> \(out) (\(t.w)x\(t.h))")
            written += 1
        }
        return (written, skipped)
    }
}
