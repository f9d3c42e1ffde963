import ArgumentParser
import Foundation
import SRPipeline

/// `upscale models list|info`: what is installed and what each model is.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List installed models or describe one.",
        discussion: """
            Examples:
              upscale models list
              upscale models info realesr-animevideov3-x2
              upscale models export upscale-fast-x2 /tmp/graphs
            """,
        subcommands: [List.self, Info.self, Export.self],
        defaultSubcommand: List.self)

    /// `upscale models list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List installed models: scale, architecture, parameters, FLOPs per input pixel, what input each is for.",
            discussion: "Example:\n  upscale models list")

        func run() throws {
            let (folder, models) = ModelsJob.list()
            print("models folder: \(folder)")
            if models.isEmpty {
                print("no models installed (run 'make models'); classical: lanczos, bicubic")
                return
            }
            var rows = [["name", "scale", "architecture", "params", "FLOPs/px", "for"]]
            for m in models {
                if let arch = m.architecture, let p = m.parameters, let f = m.flopsPerPixel {
                    rows.append([m.name, "x\(m.scale)", arch, Format.count(Double(p)), Format.count(f), m.use])
                } else {
                    rows.append([m.name, "x\(m.scale)", "unreadable: \(m.problem ?? "?")", "-", "-", m.use])
                }
            }
            rows.append(["lanczos", "any", "classical (libswscale)", "0", "-", "any input, no model"])
            rows.append(["bicubic", "any", "classical (A = -0.75)", "0", "-", "any input, no model"])
            print(Format.table(rows))
        }
    }

    /// `upscale models info NAME`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe one model: files, scale, input convention, size and cost.",
            discussion: "Examples:\n  upscale models info realesr-animevideov3-x2\n  upscale models info upscale-fast-x2\n  upscale models info my-model.safetensors")

        @Argument(help: ArgumentHelp("Model name.", valueName: "name"))
        var name: String

        func run() throws {
            let d = try ModelsJob.info(name)
            let rows = [
                ["name", d.name], ["family", d.family], ["scale", "x\(d.scale)"],
                ["architecture", d.architecture],
                ["parameters", "\(d.parameters) (\(Format.count(Double(d.parameters))))"],
                ["FLOPs per input pixel", Format.count(d.flopsPerPixel)],
                ["input", "RGB 0..1" + (d.prepadding > 0 ? ", edge-replicated by \(d.prepadding) px" : "")
                    + (d.alignment > 1 ? ", padded size a multiple of \(d.alignment)" : "")],
            ] + (d.isBuiltin ? [["weights", "built in (no models folder needed)"]] : d.files.map { [$0.label, $0.path] })
            print(Format.table(rows, header: false))
        }
    }
}

extension ModelsCommand {
    /// `upscale models export NAME DIR`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a model's inference graph as ncnn .param/.bin files (for other engines and benchmarks).",
            discussion: "Examples:\n  upscale models export upscale-fast-x2 /tmp/graphs\n  upscale models export my-model.safetensors .")

        @Argument(help: ArgumentHelp("Model name or .safetensors file.", valueName: "name"))
        var name: String

        @Argument(help: ArgumentHelp("Folder to write NAME.param and NAME.bin into.", valueName: "dir"))
        var directory: String

        func run() throws {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
                throw CLIFailure(message: "'\(directory)' is not a folder")
            }
            let (param, bin) = try ModelsJob.export(name, to: directory)
            print("wrote \(param) and \(bin)")
        }
    }
}

/// Plain-text formatting helpers for tables and counts.
enum Format {
    /// `value` as one line of JSON with sorted keys; infinities and NaN as the strings "inf", "-inf"
    /// and "nan" (a PSNR of identical images), which plain JSON cannot hold.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    /// 1234567 -> "1.23 M".
    static func count(_ v: Double) -> String {
        switch v {
        case 1e9...: return String(format: "%.2f G", v / 1e9)
        case 1e6...: return String(format: "%.2f M", v / 1e6)
        case 1e3...: return String(format: "%.1f k", v / 1e3)
        default: return String(format: "%.0f", v)
        }
    }

    /// Left-aligned columns separated by two spaces; the first row underlined when `header`.
    static func table(_ rows: [[String]], header: Bool = true) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { col in rows.map { $0[col].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        if header, !lines.isEmpty {
            lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        }
        return lines.joined(separator: "\n")
    }
}
