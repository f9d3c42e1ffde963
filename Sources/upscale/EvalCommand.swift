import ArgumentParser
import Foundation
import SRDegrade
import SRPipeline

/// `upscale eval --model M --hr DIR --scale S`: PSNR-Y / SSIM-Y against bicubic on HR images.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure models on HR images: PSNR-Y, SSIM-Y and LPIPS per image and mean, with a bicubic row.",
        discussion: """
            LR inputs are made from the HR images by MATLAB-style bicubic (antialiased) unless --lr
            gives same-named LR images. Outputs are rounded to 8 bits; Y is BT.601; `scale` pixels
            are cropped from each border (the SR papers' convention). --model may be repeated; a
            name, a family, or a .safetensors file from `upscale train`. --degrade passes every LR
            through codecs, noise or blur first (bicubic sees the same LR): h264:crf=N,
            mpeg2:q=N, jpeg:q=N (quantizer scale 2-31), noise:sigma=N[:gray=1], poisson:scale=N,
            blur:sigma=N, comma-joined and applied in order; the same SPEC gives the same LR.
            Examples:
              upscale eval --model upscale-fast-x2 --hr data/val --scale 2
              upscale eval --model upscale-real-x2 --hr data/val --scale 2 --degrade h264:crf=26
              upscale eval --model realesr-animevideov3 --model my.safetensors --hr data/val --scale 4 --json
            """)

    @Option(name: .long, help: ArgumentHelp("A model to measure (repeatable; bicubic is always included).", valueName: "name"))
    var model: [String] = []

    @Option(name: .long, help: ArgumentHelp("HR image or folder of images.", valueName: "dir"))
    var hr: String

    @Option(name: .long, help: ArgumentHelp("Folder of same-named LR images (default: bicubic of HR).", valueName: "dir"))
    var lr: String?

    @Option(name: .long, help: ArgumentHelp("Degrade each LR first: h264:crf=N, mpeg2:q=N, jpeg:q=N, noise:sigma=N, blur:sigma=N (comma-joined).", valueName: "spec"))
    var degrade: String?

    @Option(name: .long, help: ArgumentHelp("Enlargement factor.", valueName: "n"))
    var scale: Int

    @Option(name: .long, help: ArgumentHelp("Threads (default: all cores).", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("LPIPS backbone for the LPIPS column: alex (default), vgg or none.", valueName: "net"))
    var lpips: String = "alex"

    @Option(name: .long, help: ArgumentHelp("Diffusion models: denoising steps (default: the model's).", valueName: "n"))
    var steps: Int?

    @Option(name: .long, help: ArgumentHelp("Diffusion models: noise seed.", valueName: "n"))
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Print JSON (rows) instead of a table.")
    var json = false

    func run() throws {
        var config = EvalConfig(models: model, hr: hr, lr: lr, scale: scale)
        config.tiling.threads = threads
        config.tiling.steps = steps
        config.tiling.seed = seed
        do { try config.tiling.validate() } catch { throw CLIFailure(message: "\(error)") }
        if let d = degrade {
            do { config.degrade = try DegradeSpec(d) } catch { throw CLIFailure(message: "\(error)") }
        }
        if lpips == "none" { config.lpips = nil } else {
            guard let b = LPIPSBackbone(rawValue: lpips) else { throw CLIFailure(message: "--lpips must be alex, vgg or none (got '\(lpips)')") }
            config.lpips = b
        }
        let rows = try EvalJob.run(config) { Console.note($0) }
        if json {
            print(try Format.json(rows))
            return
        }
        let hasLPIPS = rows.contains { $0.lpips != nil }
        var table = [["image", "method", "PSNR-Y dB", "SSIM-Y"] + (hasLPIPS ? ["LPIPS-\(lpips)"] : []) + ["ms"]]
        table += rows.map { r in
            [r.file, r.method, String(format: "%.3f", r.psnrY), String(format: "%.4f", r.ssimY)]
                + (hasLPIPS ? [r.lpips.map { String(format: "%.4f", $0) } ?? "-"] : []) + [String(format: "%.0f", r.milliseconds)]
        }
        print(Format.table(table))
    }
}
