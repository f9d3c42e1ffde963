import Foundation
import XCTest

/// man/upscale.1 and the CLI agree: every flag both ways, every command, preset key and exit status.
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

    /// Both ways: every long option in the help of every command (nested ones too) is described in
    /// man/upscale.1 outside its EXAMPLES, and every `--flag` the man page mentions (examples
    /// included) is an option of some command's help.
    func testHelpFlagsAndManPageFlagsMatchBothWays() throws {
        let man = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("man/upscale.1"), encoding: .utf8)
        let examples = try XCTUnwrap(man.range(of: ".SH EXAMPLES"))
        let afterExamples = try XCTUnwrap(man.range(of: "\n.SH ", options: [], range: examples.upperBound..<man.endIndex))
        let described = HelpText.mentionedFlags(in: String(man[..<examples.lowerBound]) + String(man[afterExamples.lowerBound...]))
        let mentioned = HelpText.mentionedFlags(in: man)
        var declared: [String: [String]] = [:]
        for path in try HelpText.commandPaths() {
            for flag in HelpText.longFlags(inHelp: try HelpText.help(path)) {
                declared[flag, default: []].append((["upscale"] + path).joined(separator: " "))
            }
        }
        XCTAssertGreaterThan(declared.count, 40)
        for (flag, commands) in declared.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(described.contains(flag), "man/upscale.1 does not describe --\(flag) (\(commands.joined(separator: ", ")))")
        }
        for flag in mentioned.subtracting(declared.keys).sorted() {
            XCTFail("man/upscale.1 mentions --\(flag), which no command's --help lists")
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
