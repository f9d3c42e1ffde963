import ArgumentParser
import Foundation
import SRPipeline
import TOMLKit

/// A TOML preset: flat `key = value` lines where every key is a CLI flag of the same name.
///
/// Applying a preset turns it into flags placed before the user's own, so that flags given on
/// the command line win (the last value of an option counts). Keys that the running subcommand
/// does not take (e.g. `codec` for `upscale image`) are left out.
struct Preset {
    /// What a key's value must be.
    enum Kind {
        case string, flag, list, size, tilePad
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case choice([String])
    }

    /// Every key a preset may set, with its type and range.
    static let schema: [String: Kind] = [
        "model": .string, "scale": .integer(1...16), "width": .integer(1...16384), "height": .integer(1...16384),
        "codec": .string, "crf": .integer(0...63), "encoder-preset": .string, "pix-fmt": .string, "encoder-opt": .list,
        "faststart": .flag, "tile": .integer(0...16384), "overlap": .integer(0...1024), "tile-pad": .tilePad,
        "max-memory": .size, "threads": .integer(1...1024), "workers": .integer(1...1024),
        "progress": .choice(["auto", "plain", "json", "none"]), "strict": .flag, "frames-in-flight": .integer(1...64),
        "format": .choice(["png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp"]), "fps": .number(0.001...1000),
        "jobs": .integer(1...256), "name": .string, "recursive": .flag, "quiet": .flag,
    ]

    /// Where the preset came from (for messages).
    let path: String
    /// Keys and their command-line values, in file order.
    let entries: [(key: String, values: [String])]
    /// The first comment line, shown by `presets list`.
    let summary: String

    /// Parses and checks a preset file; errors name the file, the line and the key.
    init(path: String) throws {
        let file = (path as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIFailure(message: "cannot read preset '\(path)'")
        }
        self.path = path
        let lines = text.components(separatedBy: "\n")
        summary = lines.first { $0.hasPrefix("#") }.map { String($0.drop { $0 == "#" || $0 == " " }) } ?? ""
        let table = try TOMLReader.table(text, file: file)
        func line(of key: String) -> Int {
            let pattern = "^\\s*(\"\(NSRegularExpression.escapedPattern(for: key))\"|\(NSRegularExpression.escapedPattern(for: key)))\\s*="
            return (lines.firstIndex { $0.range(of: pattern, options: .regularExpression) != nil } ?? 0) + 1
        }
        var found: [(key: String, values: [String], line: Int)] = []
        for (key, value) in table {
            let at = "\(file):\(line(of: key))"
            guard let kind = Preset.schema[key] else {
                let near = Preset.schema.keys.map { ($0, ModelsJob.editDistance($0, key)) }.filter { $0.1 <= 2 }
                    .sorted { $0.1 < $1.1 }.first?.0
                throw CLIFailure(message: "\(at): unknown key '\(key)'" + (near.map { " (did you mean '\($0)'?)" } ?? ""))
            }
            found.append((key, try Preset.values(of: value, kind: kind, key: key, at: at), line(of: key)))
        }
        entries = found.sorted { $0.line < $1.line }.map { ($0.key, $0.values) }
    }

    /// The command-line words for one key's value, or an error naming what was wanted.
    static func values(of value: TOMLValueConvertible, kind: Kind, key: String, at: String) throws -> [String] {
        func bad(_ wanted: String) -> CLIFailure {
            CLIFailure(message: "\(at): '\(key)' must be \(wanted) (got \(value.debugDescription))")
        }
        switch kind {
        case .string:
            guard let s = value.string, !s.isEmpty else { throw bad("a non-empty string") }
            return [s]
        case .flag:
            guard let b = value.bool else { throw bad("true or false") }
            return b ? [] : ["false"]
        case .list:
            let items = value.array.map { Array($0) } ?? (value.string.map { [$0] } ?? [])
            let strings = items.compactMap { $0.string }
            guard !strings.isEmpty, strings.count == items.count else { throw bad("a string or a list of strings") }
            for s in strings where !s.contains("=") { throw bad("\"key=value\" entries") }
            return strings
        case .size:
            guard let s = value.string ?? value.int.map(String.init), TileOptions.parseSize(s) != nil else {
                throw bad("a size such as \"512M\" or \"2G\"")
            }
            return [s]
        case .tilePad:
            if value.string == "auto" { return ["auto"] }
            guard let n = value.int, n >= 0 else { throw bad("\"auto\" or a non-negative integer") }
            return [String(n)]
        case .integer(let range):
            guard let n = value.int, range.contains(n) else {
                throw bad("an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return [String(n)]
        case .number(let range):
            guard let d = value.double ?? value.int.map(Double.init), range.contains(d) else {
                throw bad("a number from \(range.lowerBound) to \(Int(range.upperBound))")
            }
            return [String(d)]
        case .choice(let options):
            guard let s = value.string, options.contains(s) else { throw bad("one of \(options.joined(separator: ", "))") }
            return [s]
        }
    }

    /// Flags for a subcommand that accepts `accepted` (long names without dashes).
    func arguments(accepted: Set<String>) -> [String] {
        var out: [String] = []
        for (key, values) in entries where accepted.contains(key) {
            switch Preset.schema[key] {
            case .flag?: if values.isEmpty { out.append("--\(key)") }
            default: for v in values { out += ["--\(key)", v] }
            }
        }
        return out
    }
}
