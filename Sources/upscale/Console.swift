import Foundation
import SRPipeline

/// Writing to the terminal. Messages go to stderr so stdout stays clean for data.
enum Console {
    /// Prints `upscale: message` on stderr.
    static func error(_ message: String) {
        ProgressReporter.endLine()
        FileHandle.standardError.write(Data("upscale: \(message)\n".utf8))
    }

    /// Prints a note on stderr unless quiet.
    static func note(_ message: String, quiet: Bool = false) {
        guard !quiet else { return }
        ProgressReporter.endLine()
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
