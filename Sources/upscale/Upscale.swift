import ArgumentParser
import Foundation
import SRMedia
import SRModels
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
              upscale models list

            Models live in $UPSCALE_MODELS (default ~/.cache/upscale/models); 'make models' fetches them.
            Exit codes: 0 success, 1 usage or input error, 2 processing error, 130 interrupted.
            """,
        version: version,
        subcommands: [VideoCommand.self, ImageCommand.self, ModelsCommand.self, BenchCommand.self, TileCheckCommand.self],
        defaultSubcommand: VideoCommand.self
    )
}

/// Entry point: runs the command and maps every error to one line on stderr and an exit code.
@main
enum Main {
    static func main() {
        do {
            var command = try Upscale.parseAsRoot()
            try command.run()
        } catch {
            if let e = error as? PipelineError {
                Console.error(e.description)
                exit(e.exitCode)
            }
            if let e = error as? CLIFailure {
                Console.error(e.message)
                exit(e.code)
            }
            if let e = error as? MediaError {
                Console.error(e.description)
                exit(e.exitCode)
            }
            if isLibraryError(error) {
                Console.error("\(error)")
                exit(1)
            }
            let code = Upscale.exitCode(for: error)
            if code == .success { Upscale.exit(withError: error) }
            Console.error(Upscale.fullMessage(for: error))
            exit(code == .validationFailure ? 1 : code.rawValue)
        }
    }

    /// Errors from our libraries (models, media) print as one line with exit code 1.
    static func isLibraryError(_ error: Error) -> Bool {
        let module = String(reflecting: type(of: error))
        return module.hasPrefix("SRModels.") || module.hasPrefix("SRMedia.") || module.hasPrefix("SRPipeline.")
    }
}

/// A failure the CLI itself reports, with its exit code.
struct CLIFailure: Error {
    var message: String
    var code: Int32 = 1
}
