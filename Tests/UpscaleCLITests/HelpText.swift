import Foundation
import XCTest

/// The commands of the built binary and their `--help` texts.
enum HelpText {
    /// Every command path (`[]` is the root, `["presets", "list"]` a nested one), from the
    /// binary's `--experimental-dump-help`; argument-parser's own `help` command is left out.
    static func commandPaths() throws -> [[String]] {
        let dump = try CLIRunner.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var paths: [[String]] = [[]]
        func walk(_ command: [String: Any], _ prefix: [String]) {
            for sub in (command["subcommands"] as? [[String: Any]]) ?? [] {
                guard let n = sub["commandName"] as? String, n != "help" else { continue }
                paths.append(prefix + [n])
                walk(sub, prefix + [n])
            }
        }
        walk(try XCTUnwrap(json["command"] as? [String: Any]), [])
        return paths
    }

    /// `upscale PATH... --help`, wrapped at 100 columns whatever the terminal.
    static func help(_ path: [String]) throws -> String {
        let r = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": "100", "LINES": "50"])
        XCTAssertEqual(r.status, 0, "\(path): \(r.stderr)")
        return r.stdout
    }

    /// The long options a help text declares (its option lines: `  -y, --overwrite ...`), without dashes.
    static func longFlags(inHelp text: String) -> Set<String> {
        var out = Set<String>()
        for line in text.split(separator: "\n") {
            // Option lines start at column 3; wrapped descriptions are indented further.
            guard line.hasPrefix("  "), line.dropFirst(2).first == "-" else { continue }
            var rest = line.dropFirst(2)
            if rest.count > 3, rest.first == "-", rest.dropFirst().first != "-", rest.dropFirst(2).hasPrefix(", ") {
                rest = rest.dropFirst(4)  // "-y, "
            }
            guard rest.hasPrefix("--") else { continue }
            let name = rest.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !name.isEmpty { out.insert(String(name)) }
        }
        return out
    }

    /// Every `--name` the text mentions (after roff's `\-` is read as `-`), without dashes.
    static func mentionedFlags(in text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text.replacingOccurrences(of: "\\-", with: "-"))
        while let r = rest.range(of: "--") {
            let name = rest[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if let first = name.first, first.isLetter || first.isNumber { out.insert(String(name)) }
            rest = rest[r.upperBound...]
        }
        return out
    }
}
