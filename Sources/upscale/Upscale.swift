import ArgumentParser
import Foundation
import SRPipeline

/// The root command: `upscale SUBCOMMAND ...`.
struct Upscale: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "upscale",
        abstract: "Make images and video larger and sharper with neural super-resolution, on the CPU.",
        discussion: """
            Examples:
              upscale clip.mp4 -o clip-x2.mp4
              upscale anime.mkv -o anime-4k.mkv --height 2160 --codec libx265
              upscale image photo.png -o photo-x2.png
              upscale image art.png -o art-x4.png --model realesrgan-x4plus-anime
              upscale frames shots/ -o shots-x2/
              upscale batch --preset anime -o out/ episodes/*.mkv
              upscale presets list
              upscale models list

            Models live in $UPSCALE_MODELS (default ~/.cache/upscale/models); 'make models' fetches them.
            Exit codes: 0 success, 1 usage or input error, 2 processing error, 130 interrupted.
            """,
        version: version,
        subcommands: [VideoCommand.self, ImageCommand.self, FramesCommand.self, BatchCommand.self, PlanCommand.self, RunShardCommand.self, MergeCommand.self, SlurmCommand.self,
                      PreviewCommand.self, PresetsCommand.self, CompareCommand.self,
                      TrainCommand.self, EvalCommand.self, PrepareCommand.self,
                      ModelsCommand.self, BenchCommand.self, TileCheckCommand.self, DoctorCommand.self],
        defaultSubcommand: VideoCommand.self
    )
}

/// Entry point: runs the command and maps every error to one line on stderr and an exit code.
@main
enum Main {
    static func main() {
        // The release build targets x86-64 with AVX2 and FMA (Haswell, 2013, and later).
        #if arch(x86_64)
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
           !(flags.contains(" avx2") && flags.contains(" fma")) {
            Console.error("this CPU lacks AVX2/FMA, which this build of upscale needs (x86-64 from 2013 on)")
            exit(1)
        }
        #endif
        // Frames are tens of megabytes: keep freed ones in the heap for the next frame instead of
        // returning them to the kernel and faulting fresh zeroed pages in again (about 57 MB of
        // page faults per 720p frame otherwise).
        #if os(Linux)
        _ = glibcMallopt(-3, 512 << 20)  // M_MMAP_THRESHOLD
        _ = glibcMallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
        // libx264 reads some memory it never wrote, so its output depended on what the heap held
        // before (a segment encoded late in a run differed from the same segment encoded first in
        // a resumed one). Filling new allocations with a fixed byte makes every encoder instance
        // produce the same bits; the cost is below the run-to-run noise (bench/video.sh).
        _ = glibcMallopt(-6, 0xa5)       // M_PERTURB
        #endif
        // Before any BLAS call: replace OpenBLAS's generic fallback kernels on CPUs it does not
        // recognise by the ones the CPU supports (a user's OPENBLAS_CORETYPE wins).
        Engine.prepare()
        do {
            var command = try Upscale.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
            try command.run()
        } catch {
            if let e = error as? UserFacingError {
                Console.error(e.description)
                exit(e.exitCode)
            }
            let code = Upscale.exitCode(for: error)
            if code == .success { Upscale.exit(withError: error) }
            Console.error(Upscale.fullMessage(for: error))
            exit(code == .validationFailure ? 1 : code.rawValue)
        }
    }
}

/// A failure the CLI itself reports (a flag it cannot read), with its exit code.
struct CLIFailure: UserFacingError {
    var message: String
    var code: Int32 = 1
    var description: String { message }
    var exitCode: Int32 { code }
}

#if os(Linux)
/// glibc's `mallopt(3)` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
