import Foundation
import SRDegrade
import SRKernels
import SRLosses
import SRMedia
import SRTensor

/// What `upscale eval` measures.
public struct EvalConfig: Sendable {
    /// Models to evaluate (names, families or `.safetensors` paths); bicubic is always added first.
    public var models: [String]
    /// HR image or folder; optional LR folder of same-named images (else LR = bicubic of HR).
    public var hr: String, lr: String?
    /// Enlargement factor.
    public var scale: Int
    /// Tiling and threads.
    public var tiling = TileOptions()
    /// LPIPS backbone for the LPIPS column (nil: no column).
    public var lpips: LPIPS.Backbone? = .alex
    /// Degradations applied to every LR image (computed or given) before bicubic and the models
    /// run, e.g. `h264:crf=26` (nil: the LR as it is).
    public var degrade: DegradeSpec?
    /// Creates a config.
    public init(models: [String], hr: String, lr: String? = nil, scale: Int) {
        self.models = models; self.hr = hr; self.lr = lr; self.scale = scale
    }
}

/// One method on one image (or the mean over images when `file` is `mean`).
public struct EvalRow: Sendable, Codable, Equatable {
    public var file: String, method: String
    public var psnrY: Double, ssimY: Double
    /// LPIPS on RGB (same crop), when measured.
    public var lpips: Double?
    /// Milliseconds the method took for the image (mean for the mean row).
    public var milliseconds: Double
}

/// `upscale eval`: PSNR-Y and SSIM-Y (BT.601 Y, `scale` pixels cropped, outputs rounded to 8 bits)
/// and LPIPS (RGB, same crop) of bicubic and each model on HR images, LR made by MATLAB-style
/// bicubic unless given, then degraded by `degrade` when set (the bicubic row sees the same LR).
public enum EvalJob {
    /// Rows per image and method, then one mean row per method.
    public static func run(_ config: EvalConfig, notes: (String) -> Void = { _ in }) throws -> [EvalRow] {
        guard (1...8).contains(config.scale) else { throw PipelineError.invalidOption("--scale must be 1...8 (got \(config.scale))") }
        guard FileManager.default.fileExists(atPath: config.hr) else { throw PipelineError.inputMissing(config.hr) }
        let files = FrameFolder.isFolderPath(config.hr) ? try FrameFolder.list(config.hr) : [config.hr]
        guard !files.isEmpty else { throw PipelineError.invalidOption("'\(config.hr)' holds no images") }
        let upscalers = try config.models.map { try ScaleStageResolver.resolve(model: $0, scale: config.scale, notes: notes) }
        for u in upscalers where u.scale != config.scale {
            throw PipelineError.unsupportedScale(model: u.name, scale: config.scale, available: [u.scale])
        }
        var lpips: LPIPS?
        if let b = config.lpips {
            do { lpips = try LPIPS.load(b) } catch { notes("note: no LPIPS column (\(b.fileName) missing: run `make models`)") }
        }
        let metrics = config.tiling.threads.map { ExecutionContext(threads: $0, blasThreads: $0) } ?? .allCores
        var rows: [EvalRow] = []
        for path in files {
            let name = (path as NSString).lastPathComponent
            var hr = try ImageFile.read(path: path).pixels
            let s = config.scale, h = hr.h / s * s, w = hr.w / s * s
            guard h / s >= 8, w / s >= 8 else { throw PipelineError.invalidOption("'\(path)' is too small for x\(s) evaluation") }
            if h != hr.h || w != hr.w { hr = Kernels.crop(hr, top: 0, left: 0, h: h, w: w) }
            var lr: Tensor
            if let dir = config.lr {
                let p = (dir as NSString).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: p) else { throw PipelineError.invalidOption("'\(p)' is missing: --lr needs a same-named image per HR image") }
                lr = try ImageFile.read(path: p).pixels
                guard lr.h == h / s, lr.w == w / s else {
                    throw PipelineError.invalidOption("'\(p)' is \(lr.w)x\(lr.h), expected \(w / s)x\(h / s) for x\(s) of '\(path)'")
                }
            } else {
                lr = Kernels.imresize(hr, outH: h / s, outW: w / s)
            }
            if let spec = config.degrade { lr = try spec.apply(lr) }
            func row(_ method: String, _ make: () throws -> Tensor) throws -> EvalRow {
                let t0 = Date()
                let sr = try make()
                let ms = Date().timeIntervalSince(t0) * 1000
                let q = ImageMetrics.quantized(sr)
                let a = ImageMetrics.planes(q, luma: true, crop: s), b = ImageMetrics.planes(hr, luma: true, crop: s)
                let d = lpips?.distance(CompareJob.cropped(q, s), CompareJob.cropped(hr, s), context: metrics)
                return EvalRow(file: name, method: method, psnrY: ImageMetrics.psnr(a, b), ssimY: ImageMetrics.ssim(a, b), lpips: d, milliseconds: ms)
            }
            rows.append(try row("bicubic") { Kernels.imresize(lr, outH: h, outW: w) })
            for u in upscalers {
                let tiled = try config.tiling.tiledRunner(for: u, width: lr.w, height: lr.h)
                rows.append(try row(u.name) { try tiled.upscale(lr) })
            }
        }
        let methods = ["bicubic"] + upscalers.map(\.name)
        for m in methods {
            let r = rows.filter { $0.method == m }
            let n = Double(max(r.count, 1))
            rows.append(EvalRow(file: "mean", method: m, psnrY: r.map(\.psnrY).reduce(0, +) / n, ssimY: r.map(\.ssimY).reduce(0, +) / n,
                                lpips: lpips == nil ? nil : r.compactMap(\.lpips).reduce(0, +) / n,
                                milliseconds: r.map(\.milliseconds).reduce(0, +) / n))
        }
        return rows
    }
}
