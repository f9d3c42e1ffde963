import Foundation
import SRKernels
import SRMedia
import SRModels
import SRTensor
import SRTiling

/// Typed configuration of `upscale preview`.
public struct PreviewConfig: Sendable {
    public var input: String
    /// The comparison image (png, tiff...).
    public var output: String
    /// Seconds into a video (default: the middle), or a frame index.
    public var at: Double?, frame: Int?
    /// Models, families or classical filters; nil = the built-ins for the scale plus bicubic and lanczos.
    public var models: [String]?
    /// Enlargement (default: the first model's, or 2).
    public var scale: Int?
    /// `WxH+X+Y` in input pixels, or `auto` (nil): the most detailed region.
    public var crop: String?
    public var overwrite = false
    public var tiling = TileOptions()

    /// Creates a configuration.
    public init(input: String, output: String) { self.input = input; self.output = output }
}

/// What `preview` wrote.
public struct PreviewResult: Sendable {
    /// One panel per entry: `input (nearest)` first, then each model, with its time for the whole frame.
    public var panels: [(name: String, milliseconds: Double?)]
    /// The crop, in input pixels, and one panel's size.
    public var crop: TilePlan.Rect, panelSize: (width: Int, height: Int)
    /// Where the frame came from (`frame at 1.50 s`).
    public var origin: String
    /// The whole image's size.
    public var imageSize: (width: Int, height: Int)
    /// Frames in the video (for estimates; nil for an image).
    public var videoFrames: Int?
}

/// `upscale preview`: one frame through several models, the same crop of each side by side.
public enum PreviewJob {
    /// Height of the label band above the panels, and the gap between panels, in pixels.
    static let band = 20, gap = 4

    /// Runs the preview; the image is written under a temporary name and renamed.
    public static func run(_ config: PreviewConfig, notes: @escaping (String) -> Void = { _ in }) throws -> PreviewResult {
        try OutputGuard.check(input: config.input, output: config.output, overwrite: config.overwrite)
        let ext = (config.output as NSString).pathExtension
        guard ImageFile.canWrite(extension: ext) else {
            throw PipelineError.invalidOption("-o: '\(config.output)' must be an image (png, tiff, webp, jpg or bmp)")
        }
        try config.tiling.validate()
        if config.at != nil && config.frame != nil { throw PipelineError.invalidOption("give --at or --frame, not both") }
        let picked = try FramePicker.pick(config.input, at: config.at, index: config.frame)
        let (w, h) = (picked.rgb.w, picked.rgb.h)
        var plans: [ScalePlan] = []
        var scale = config.scale
        for name in config.models ?? defaultModels(scale: config.scale ?? 2) {
            let plan = try ScalePlan.make(model: name, scale: scale, width: nil, height: nil, inputWidth: w, inputHeight: h, notes: notes)
            scale = scale ?? plan.outputWidth / max(1, w)
            plans.append(plan)
        }
        let s = scale ?? 2
        let crop = try region(config.crop, of: picked.rgb, scale: s)
        let input = Kernels.crop(picked.rgb, top: crop.y, left: crop.x, h: crop.height, w: crop.width)
        var panels = [("input (nearest)", Kernels.interp(input, mode: .nearest, outH: crop.height * s, outW: crop.width * s), Double?.none)]
        for plan in plans {
            let runners = try plan.runners(tiling: config.tiling, notes: notes)
            if let first = runners.first {  // warm-up: scratch pools and prepared weights
                _ = try first.upscale(Kernels.crop(picked.rgb, top: 0, left: 0, h: min(h, 32), w: min(w, 32)))
            }
            let start = Date()
            let out = try plan.apply(picked.rgb, runners: runners)
            let ms = Date().timeIntervalSince(start) * 1000
            panels.append((plan.summary, Kernels.crop(out, top: crop.y * s, left: crop.x * s, h: crop.height * s, w: crop.width * s), ms))
        }
        let image = compose(panels.map { ($0.0 + ($0.2.map { String(format: "  %.0f ms", $0) } ?? ""), $0.1) })
        try ImageFile.write(RGBImage(pixels: image, bitDepth: picked.bitDepth > 8 ? 16 : 8), to: config.output,
                            replace: config.overwrite)
        return PreviewResult(panels: panels.map { ($0.0, $0.2) }, crop: crop, panelSize: (crop.width * s, crop.height * s),
                             origin: picked.origin, imageSize: (image.w, image.h), videoFrames: picked.videoFrames)
    }

    /// The built-in models of `scale` in catalog order (the default first), then bicubic and
    /// lanczos (the default model when no built-in has that scale).
    static func defaultModels(scale: Int) -> [String] {
        let builtins = ModelCatalog.installed().filter { $0.isBuiltin && $0.scale == scale }.map(\.name)
        return (builtins.isEmpty ? [ScaleStageResolver.defaultFamily] : builtins) + ["bicubic", "lanczos"]
    }

    /// The panels side by side under their labels, on a dark background.
    static func compose(_ panels: [(label: String, pixels: Tensor)]) -> Tensor {
        let pw = panels.first?.pixels.w ?? 0, ph = panels.first?.pixels.h ?? 0
        let width = panels.count * pw + (panels.count - 1) * gap, height = band + ph
        var image = Tensor(c: 3, h: height, w: width, repeating: 0.12)
        let plane = height * width
        for (k, panel) in panels.enumerated() {
            let x0 = k * (pw + gap), p = panel.pixels, pplane = p.h * p.w
            for ch in 0..<3 {
                for y in 0..<ph {
                    for x in 0..<pw { image.data[ch * plane + (band + y) * width + x0 + x] = p.data[min(ch, p.c - 1) * pplane + y * p.w + x] }
                }
            }
            let fontScale = LabelFont.advance(scale: 2) * panel.label.count <= pw - 8 ? 2 : 1
            LabelFont.draw(panel.label, into: &image, x: x0 + 4, y: (band - LabelFont.height * fontScale) / 2,
                           scale: fontScale, color: (1, 1, 1), maxWidth: pw - 8)
        }
        return image
    }

    /// The crop in input pixels: `WxH+X+Y` (checked against the frame) or the most detailed
    /// region of about 320x240 output pixels (`auto`, the default).
    static func region(_ text: String?, of frame: Tensor, scale: Int) throws -> TilePlan.Rect {
        let (w, h) = (frame.w, frame.h)
        guard let text, text != "auto" else {
            let cw = min(w, max(16, 320 / scale)), ch = min(h, max(16, 240 / scale))
            return DetailCrop.find(in: frame, width: cw, height: ch)
        }
        let parts = text.split(whereSeparator: { $0 == "x" || $0 == "+" }).map { Int($0) }
        guard parts.count == 4, let cw = parts[0], let ch = parts[1], let x = parts[2], let y = parts[3], cw > 0, ch > 0, x >= 0, y >= 0 else {
            throw PipelineError.invalidOption("--crop must be WxH+X+Y (e.g. 160x120+40+20) or auto (got '\(text)')")
        }
        guard x + cw <= w, y + ch <= h else {
            throw PipelineError.invalidOption("--crop \(text) does not fit the \(w)x\(h) frame")
        }
        return TilePlan.Rect(x: x, y: y, width: cw, height: ch)
    }
}

/// `--crop auto`: the window with the most luma gradient energy (edges and texture, where
/// models differ most).
enum DetailCrop {
    /// The `width x height` window of `frame` with the largest sum of |dx| + |dy| of the luma.
    static func find(in frame: Tensor, width cw: Int, height ch: Int) -> TilePlan.Rect {
        let (w, h) = (frame.w, frame.h)
        let luma = TileReuseCache.luma(frame)  // the reuse cache's luma (8-bit levels; the scale does not move the maximum)
        // Integral image of the energy: sum over [0, y) x [0, x) at (y * (w + 1) + x).
        var integral = [Double](repeating: 0, count: (w + 1) * (h + 1))
        for y in 0..<h {
            var row = 0.0
            for x in 0..<w {
                let i = y * w + x
                let e = (x + 1 < w ? abs(luma[i + 1] - luma[i]) : 0) + (y + 1 < h ? abs(luma[i + w] - luma[i]) : 0)
                row += Double(e)
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row
            }
        }
        func sum(_ x: Int, _ y: Int) -> Double {
            integral[(y + ch) * (w + 1) + x + cw] - integral[y * (w + 1) + x + cw] - integral[(y + ch) * (w + 1) + x] + integral[y * (w + 1) + x]
        }
        let step = max(1, min(cw, ch) / 8)
        var best = (x: 0, y: 0, energy: -1.0)
        for y in stride(from: 0, through: h - ch, by: step) {
            for x in stride(from: 0, through: w - cw, by: step) where sum(x, y) > best.energy { best = (x, y, sum(x, y)) }
        }
        return TilePlan.Rect(x: best.x, y: best.y, width: cw, height: ch)
    }
}
