import ArgumentParser
import Foundation
import SRPipeline

/// `upscale compare REF DIST`: PSNR and SSIM of an image (or folder) against a reference.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "PSNR, SSIM and LPIPS of images against references (equal to scikit-image's and lpips').",
        discussion: """
            REF and DIST are two images of one size, or two folders of same-named images (the mean
            is printed last). SSIM: 11x11 gaussian window, sigma 1.5, K1 0.01, K2 0.03.
            Examples:
              upscale compare photo.png photo-x2-then-down.png
              upscale compare hr/ sr/ --y --crop 4 --json
              upscale compare photo.png photo-gan.png --lpips alex
            """)

    @Argument(help: ArgumentHelp("Reference image or folder.", valueName: "ref"))
    var reference: String

    @Argument(help: ArgumentHelp("Image or folder to judge.", valueName: "dist"))
    var distorted: String

    @Flag(name: .customLong("y"), help: "Measure the Y channel of BT.601 YCbCr (the SR convention) instead of RGB.")
    var luma = false

    @Option(name: .long, help: ArgumentHelp("Pixels to remove from every border first (SR papers crop the scale).",
                                            valueName: "n"))
    var crop: Int = 0

    @Option(name: .long, help: ArgumentHelp("Also measure LPIPS with AlexNet or VGG16 features (weights from `make models`).",
                                            valueName: "alex|vgg"))
    var lpips: String?

    @Flag(name: .long, help: "Print one JSON object (files, mean) instead of a table.")
    var json = false

    func run() throws {
        var config = CompareConfig(reference: reference, distorted: distorted)
        config.luma = luma; config.crop = crop
        if let lpips {
            guard let b = LPIPSBackbone(rawValue: lpips) else { throw CLIFailure(message: "--lpips must be alex or vgg (got '\(lpips)')") }
            config.lpips = b
        }
        let items = try CompareJob.run(config)
        let meanPSNR = items.map(\.psnr).reduce(0, +) / Double(items.count)
        let meanSSIM = items.map(\.ssim).reduce(0, +) / Double(items.count)
        let meanLPIPS = config.lpips == nil ? nil : items.compactMap(\.lpips).reduce(0, +) / Double(items.count)
        if json {
            struct Out: Encodable { var files: [CompareItem]; var mean: CompareItem; var y: Bool; var crop: Int }
            let out = Out(files: items, mean: CompareItem(file: "mean", psnr: meanPSNR, ssim: meanSSIM, lpips: meanLPIPS), y: luma, crop: crop)
            print(try Format.json(out))
            return
        }
        let suffix = luma ? "-Y" : ""
        let extra = config.lpips.map { ["LPIPS-\($0.rawValue)"] } ?? []
        var rows = [["file", "PSNR\(suffix) dB", "SSIM\(suffix)"] + extra]
        rows += items.map { [$0.file, String(format: "%.4f", $0.psnr), String(format: "%.6f", $0.ssim)] + ($0.lpips.map { [String(format: "%.6f", $0)] } ?? []) }
        if items.count > 1 {
            rows.append(["mean", String(format: "%.4f", meanPSNR), String(format: "%.6f", meanSSIM)] + (meanLPIPS.map { [String(format: "%.6f", $0)] } ?? []))
        }
        print(Format.table(rows))
    }
}
