import ArgumentParser
import Foundation
import SRPipeline

/// A TOML preset: flat `key = value` lines where every key is a CLI flag of the same name.
///
/// A preset is read into typed values (`PresetValues`); each subcommand merges them with its
/// parsed options as "command-line value, else preset value, else default", reading only the keys
/// of its own table (`presetKeys`), so that e.g. `codec` is ignored by `upscale image`.
struct Preset {
    /// What a key's value must be.
    enum Kind {
        case string, flag, list, size, tilePad
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case choice([String])
    }

    /// Every key a preset may set, with its type and range.
    static let schema: [String: Kind] = Dictionary(uniqueKeysWithValues: PresetKey.allCases.map { ($0.rawValue, $0.kind) })

    /// Where the preset came from (for messages).
    let path: String
    /// The checked values of every key the file sets.
    let values: PresetValues
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
        // Checked in file order, so that the first bad line is the one reported.
        var values = PresetValues()
        for (key, value) in table {
            let at = "\(file):\(table.line(of: key) ?? 1)"
            guard let presetKey = PresetKey(rawValue: key) else {
                let near = Preset.schema.keys.map { ($0, ModelsJob.editDistance($0, key)) }.filter { $0.1 <= 2 }
                    .sorted { $0.1 < $1.1 }.first?.0
                throw CLIFailure(message: "\(at): unknown key '\(key)'" + (near.map { " (did you mean '\($0)'?)" } ?? ""))
            }
            values[presetKey] = try Preset.value(of: value, kind: presetKey.kind, key: key, at: at)
        }
        self.values = values
    }

    /// The typed value of one key, or an error naming what was wanted.
    static func value(of value: TOMLValue, kind: Kind, key: String, at: String) throws -> PresetValue {
        func bad(_ wanted: String) -> CLIFailure {
            CLIFailure(message: "\(at): '\(key)' must be \(wanted) (got \(value.debugDescription))")
        }
        switch kind {
        case .string:
            guard let s = value.string, !s.isEmpty else { throw bad("a non-empty string") }
            return .text(s)
        case .flag:
            guard let b = value.bool else { throw bad("true or false") }
            return .flag(b)
        case .list:
            let items = value.array ?? (value.string.map { [TOMLValue.string($0)] } ?? [])
            let strings = items.compactMap { $0.string }
            guard !strings.isEmpty, strings.count == items.count else { throw bad("a string or a list of strings") }
            for s in strings where !s.contains("=") { throw bad("\"key=value\" entries") }
            return .list(strings)
        case .size:
            guard let s = value.string ?? value.int.map(String.init), TileOptions.parseSize(s) != nil else {
                throw bad("a size such as \"512M\" or \"2G\"")
            }
            return .text(s)
        case .tilePad:
            if value.string == "auto" { return .text("auto") }
            guard let n = value.int, n >= 0 else { throw bad("\"auto\" or a non-negative integer") }
            return .text(String(n))
        case .integer(let range):
            guard let n = value.int, range.contains(n) else {
                throw bad("an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return .integer(n)
        case .number(let range):
            guard let d = value.double ?? value.int.map(Double.init), range.contains(d) else {
                throw bad("a number from \(range.lowerBound) to \(Int(range.upperBound))")
            }
            return .number(d)
        case .choice(let options):
            guard let s = value.string, options.contains(s) else { throw bad("one of \(options.joined(separator: ", "))") }
            return .text(s)
        }
    }
}
