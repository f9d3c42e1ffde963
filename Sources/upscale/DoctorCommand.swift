import ArgumentParser
import Foundation
import SRPipeline

/// `upscale doctor`: the machine and the engine's code paths, for bug reports.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the CPU, its features, the BLAS library and kernels in use, threads and memory.",
        discussion: """
            Paste its output into a bug report. The BLAS core line says whether upscale replaced a
            generic OpenBLAS fallback (an unrecognised CPU) by the kernels the CPU supports.
            Examples:
              upscale doctor
              upscale doctor --json
            """)

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let r = SystemReport.collect(version: Upscale.version)
        if json {
            print(try Format.json(r))
        } else {
            print(Format.table(r.lines.map { [$0.0, $0.1] }, header: false))
        }
    }
}
