import Foundation
import XCTest

/// Every flag the CLI accepts must be documented in man/upscale.1.
final class ManPageTests: XCTestCase {
    func testEveryFlagIsInTheManPage() throws {
        let man = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("man/upscale.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let dump = try CLIRunner.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var flags = Set<String>()
        func walk(_ command: [String: Any]) {
            for arg in (command["arguments"] as? [[String: Any]]) ?? [] {
                for name in (arg["names"] as? [[String: Any]]) ?? [] {
                    guard let kind = name["kind"] as? String, let n = name["name"] as? String else { continue }
                    if kind == "long" { flags.insert("--" + n) }
                }
            }
            for sub in (command["subcommands"] as? [[String: Any]]) ?? [] { walk(sub) }
        }
        walk(try XCTUnwrap(json["command"] as? [String: Any]))
        XCTAssertFalse(flags.isEmpty)
        for flag in flags.sorted() where flag != "--experimental-dump-help" {
            XCTAssertTrue(man.contains(flag), "man/upscale.1 does not document \(flag)")
        }
    }

    /// Every subcommand, every key the shipped presets use, every shipped preset and every exit
    /// status is in the man page.
    func testSubcommandsPresetKeysAndExitCodesAreInTheManPage() throws {
        let man = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("man/upscale.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let dump = try CLIRunner.run(["--experimental-dump-help"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var names: [String] = []
        func walk(_ command: [String: Any], _ prefix: String) {
            for sub in (command["subcommands"] as? [[String: Any]]) ?? [] {
                guard let n = sub["commandName"] as? String, n != "help" else { continue }
                names.append(prefix + n)
                walk(sub, prefix + n + " ")
            }
        }
        walk(try XCTUnwrap(json["command"] as? [String: Any]), "")
        XCTAssertTrue(names.contains("batch") && names.contains("presets list"), "\(names)")
        for n in names {
            XCTAssertTrue(man.contains(n), "man/upscale.1 does not document the command '\(n)'")
            let help = try CLIRunner.run(n.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertTrue(help.stdout.contains("Example"), "'upscale \(n) --help' shows no example")
        }
        let presets = CLIRunner.packageRoot.appendingPathComponent("presets")
        let files = try FileManager.default.contentsOfDirectory(atPath: presets.path).filter { $0.hasSuffix(".toml") }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        let section = try XCTUnwrap(man.range(of: ".SH PRESETS")).upperBound
        let presetText = String(man[section...])
        for f in files {
            XCTAssertTrue(presetText.contains(".B \(f.dropLast(5))"), "preset \(f) is not described")
            let text = try String(contentsOf: presets.appendingPathComponent(f), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let key = line.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) else { continue }
                XCTAssertTrue(presetText.contains(key), "preset key '\(key)' (\(f)) is not in the PRESETS section")
            }
        }
        for code in ["0", "1", "2", "130"] { XCTAssertTrue(man.contains(".B \(code)\n"), "exit status \(code)") }
    }
}
