import Foundation
import SRKernels
import SRMedia
import SRTensor

/// Typed configuration of `upscale bench`.
public struct BenchConfig: Sendable {
    /// Model name (as for `image`); nil = the default.
    public var model: String?
    /// Wanted scale.
    public var scale: Int?
    /// An image to upscale, or nil to use a synthetic frame of `width x height`.
    public var input: String?
    /// Synthetic frame size.
    public var width = 640, height = 360
    /// Timed runs.
    public var runs = 3
    /// Untimed runs before them.
    public var warmup = 1
    /// Tiling and threading.
    public var tiling = TileOptions()

    /// Creates a configuration.
    public init(model: String? = nil, scale: Int? = nil, input: String? = nil, width: Int = 640, height: Int = 360,
                runs: Int = 3, warmup: Int = 1, tiling: TileOptions = TileOptions()) {
        self.model = model; self.scale = scale; self.input = input; self.width = width; self.height = height
        self.runs = runs; self.warmup = warmup; self.tiling = tiling
    }
}

/// Timings of one benchmark: what `upscale bench --json` prints.
public struct BenchResult: Sendable, Codable {
    public var model: String
    public var width: Int
    public var height: Int
    public var scale: Int
    public var runs: Int
    public var tile: Int
    public var workers: Int
    public var blas_threads: Int
    /// Threads inside one tile (the Winograd workers).
    public var threads_per_tile: Int
    public var median_ms: Double
    public var min_ms: Double
    public var max_ms: Double
    /// Direct-convolution-equivalent GFLOP/s (2 x multiply-adds of the model per second).
    public var gflops: Double
    /// Peak resident memory of the process (VmHWM), in MiB.
    public var peak_rss_mb: Double
}

/// Times the tiled engine on one frame.
public enum BenchJob {
    /// Runs `warmup` untimed and `runs` timed upscales; returns their statistics.
    public static func run(_ config: BenchConfig, notes: (String) -> Void = { _ in }) throws -> BenchResult {
        guard config.runs >= 1 else { throw PipelineError.invalidOption("--runs must be at least 1 (got \(config.runs))") }
        let frame: Tensor
        if let input = config.input {
            guard FileManager.default.fileExists(atPath: input) else { throw PipelineError.inputMissing(input) }
            frame = try ImageFile.read(path: input).pixels
        } else {
            guard config.width > 0, config.height > 0 else { throw PipelineError.invalidOption("--size must be WxH with positive sides") }
            frame = syntheticFrame(width: config.width, height: config.height)
        }
        let upscaler = try ScaleStageResolver.resolve(model: config.model, scale: config.scale, notes: notes)
        let tiled = try config.tiling.tiledRunner(for: upscaler, width: frame.w, height: frame.h, notes: notes)
        for _ in 0..<max(0, config.warmup) { _ = try tiled.upscale(frame) }
        var times: [Double] = []
        for _ in 0..<config.runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try tiled.upscale(frame)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let flops = upscaler.flopsPerInputPixel * Double(frame.w * frame.h)
        return BenchResult(model: upscaler.name, width: frame.w, height: frame.h, scale: upscaler.scale, runs: config.runs,
                           tile: tiled.tile, workers: tiled.workers, blas_threads: tiled.blasThreads,
                           threads_per_tile: tiled.context.threads,
                           median_ms: median, min_ms: times[0], max_ms: times[times.count - 1],
                           gflops: flops / (median / 1e3) / 1e9, peak_rss_mb: MemoryProbe.peakResidentMiB())
    }

    /// A deterministic, natural-looking test frame (smooth gradients plus fine texture).
    public static func syntheticFrame(width: Int, height: Int) -> Tensor {
        var t = Tensor(c: 3, h: height, w: width)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let fx = Float(x) / Float(max(width, 1)), fy = Float(y) / Float(max(height, 1))
                    let v = 0.5 + 0.3 * sinf(6.3 * fx * Float(c + 1) + 3 * fy) + 0.15 * sinf(Float(x * 7 + y * 3 + c) * 0.9)
                    t[c, y, x] = min(max(v, 0), 1)
                }
            }
        }
        return t
    }
}

/// Reads the process's memory figures from /proc/self/status.
public enum MemoryProbe {
    /// Peak resident set size (VmHWM) in MiB, or 0 where /proc is unavailable.
    public static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
