import ArgumentParser
import Foundation
import SRPipeline

/// `upscale bench`: time the engine on one frame.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the tiled engine on one frame: ms per frame, GFLOP/s and peak memory.",
        discussion: """
            Examples:
              upscale bench --model realesr-animevideov3-x2 --size 640x360 --threads 2
              upscale bench --model realesr-animevideov3-x2 --size 3840x2160 --tile 256 --warmup 0 --runs 1 --json
              upscale bench --input fixtures/photo-640x360.png --workers 1
            """)

    @Option(name: .long, help: ArgumentHelp("Image to upscale (default: a synthetic frame of --size).", valueName: "path"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Synthetic frame size.", valueName: "WxH"))
    var size: String = "640x360"

    @Option(name: .long, help: ArgumentHelp("Timed runs.", valueName: "k"))
    var runs: Int = 3

    @Option(name: .long, help: ArgumentHelp("Untimed runs first.", valueName: "k"))
    var warmup: Int = 1

    @Flag(name: .long, help: "Print one JSON object (median_ms, min_ms, max_ms, gflops, peak_rss_mb, ...).")
    var json = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tilingOptions: TilingOptions

    func run() throws {
        let dims = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2, dims[0] > 0, dims[1] > 0 else {
            throw CLIFailure(message: "--size must be WxH, e.g. 640x360 (got '\(size)')")
        }
        let config = BenchConfig(model: modelOptions.model, scale: modelOptions.scale, input: input,
                                 width: dims[0], height: dims[1], runs: runs, warmup: warmup, tiling: try tilingOptions.resolved())
        let r = try BenchJob.run(config) { Console.note($0) }
        if json {
            print(try Format.json(r))
        } else {
            print(Format.table([
                ["model", "size", "tile", "workers", "threads/tile", "blas", "median ms", "min ms", "max ms", "GFLOP/s", "peak RSS MiB"],
                [r.model, "\(r.width)x\(r.height)", r.tile == 0 ? "whole" : "\(r.tile)", "\(r.workers)", "\(r.threads_per_tile)", "\(r.blas_threads)",
                 String(format: "%.1f", r.median_ms), String(format: "%.1f", r.min_ms), String(format: "%.1f", r.max_ms),
                 String(format: "%.1f", r.gflops), String(format: "%.0f", r.peak_rss_mb)],
            ]))
        }
    }
}

/// `upscale tile-check`: tiled versus whole-frame output on one image.
struct TileCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tile-check",
        abstract: "Compare tiled and whole-frame output: max and mean error, seam ratio, padding used.",
        discussion: """
            With --tile-pad auto the padding covers the model's receptive field and the errors are ~0.
            Examples:
              upscale tile-check fixtures/photo-640x360.png --model realesr-animevideov3-x2 --tile 64
              upscale tile-check photo.png --model waifu2x-cunet-x2 --tile 48 --tile-pad 4 --json
            """)

    @Argument(help: ArgumentHelp("The image to test on.", valueName: "image"))
    var image: String

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var tilingOptions: TilingOptions

    func run() throws {
        let config = TileCheckConfig(input: image, model: modelOptions.model, scale: modelOptions.scale,
                                     tiling: try tilingOptions.resolved())
        let r = try TileCheck.run(config) { Console.note($0) }
        if json {
            print(try Format.json(r))
        } else {
            print(Format.table([
                ["model", r.model], ["tiles", "\(r.tiles) of \(r.tile) px, overlap \(r.overlap)"],
                ["padding", "\(r.pad) px (receptive radius \(r.receptive_radius))"],
                ["max error", String(format: "%.3g", r.max_error)], ["mean error", String(format: "%.3g", r.mean_error)],
                ["seam ratio", String(format: "%.3f", r.seam_ratio)],
            ], header: false))
        }
    }
}
