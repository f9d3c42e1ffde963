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
}
