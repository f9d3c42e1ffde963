import ArgumentParser
import Foundation
import SRPipeline

/// `upscale prepare PHOTOS... -o DIR`: HR images for training and evaluation.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Make HR training/validation images: shrink photos (antialiased bicubic) and save PNG.",
        discussion: """
            Shrinking camera photos by 2 or more removes JPEG blocking and demosaicing blur, so the
            result is a clean HR target. Existing outputs are skipped; `make data` runs this.
            Examples:
              upscale prepare ~/Pictures/*.jpg -o data/train --shrink 2
              upscale prepare big.png -o data/val --shrink 2 --max-side 768
            """)

    @Argument(help: ArgumentHelp("Input images.", valueName: "image"))
    var inputs: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output folder (created when missing).", valueName: "dir"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Shrink factor (default 2; 1 keeps the size).", valueName: "f"))
    var shrink: Double = 2

    @Option(name: .long, help: ArgumentHelp("Crop to a centre window of at most this side after shrinking.", valueName: "px"))
    var maxSide: Int?

    @Flag(name: .shortAndLong, help: "Print only the summary.")
    var quiet = false

    func run() throws {
        let r = try PrepareJob.run(inputs: inputs, outputDir: output, shrink: shrink, maxSide: maxSide) { Console.note($0, quiet: quiet) }
        print("\(output): \(r.written) written, \(r.skipped) already there")
    }
}
