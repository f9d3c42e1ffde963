import Foundation
import SRKernels
import SRMedia
import SRTensor

/// Typed configuration of one `upscale image` call.
public struct ImageJobConfig: Sendable {
    /// The image to read.
    public var input: String
    /// The image to write (format from the extension).
    public var output: String
    /// Model name, family name or classical filter; nil picks the default.
    public var model: String?
    /// Wanted enlargement factor; nil uses the model's own.
    public var scale: Int?
    /// Exact output width and/or height (aspect kept when only one is given); exclusive with `scale`.
    public var width: Int?, height: Int?
    /// Replace an existing output.
    public var overwrite = false
    /// Tiling and threading.
    public var tiling = TileOptions()

    /// Creates a configuration.
    public init(input: String, output: String, model: String? = nil, scale: Int? = nil,
                overwrite: Bool = false, tiling: TileOptions = TileOptions()) {
        self.input = input; self.output = output; self.model = model; self.scale = scale
        self.overwrite = overwrite; self.tiling = tiling
    }
}

/// What an image job did.
public struct ImageJobResult: Sendable {
    public var inputSize: (width: Int, height: Int)
    public var outputSize: (width: Int, height: Int)
    public var upscalerName: String
    public var seconds: Double
}

/// Upscales one still image: read, enlarge (alpha separately), clamp, write atomically.
public enum ImageJob {
    /// Runs the job; `notes` receives one-line messages for the user. Nothing is written on error.
    public static func run(_ config: ImageJobConfig, notes: @escaping (String) -> Void = { _ in }) throws -> ImageJobResult {
        try OutputGuard.check(input: config.input, output: config.output, overwrite: config.overwrite)
        try config.tiling.validate()
        let image = try ImageFile.read(path: config.input)
        let start = DispatchTime.now()
        let still = StillImageRunner(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                  tiling: config.tiling, notes: notes)
        let plan = try still.plan(width: image.width, height: image.height)
        let out = try still.upscale(image)
        try ImageFile.write(out, to: config.output, replace: config.overwrite)
        let secs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return ImageJobResult(inputSize: (image.width, image.height), outputSize: (out.width, out.height),
                              upscalerName: plan.summary, seconds: secs)
    }
}
