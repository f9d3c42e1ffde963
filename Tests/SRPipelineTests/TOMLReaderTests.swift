import SRPipeline
import XCTest

/// The TOML reader's own scan for headers that would abort TOMLKit, and its one-line errors.
final class TOMLReaderTests: XCTestCase {
    func testBadHeadersAreFoundValidFilesPass() throws {
        // `[\u{655}"`: a combining mark makes one Swift Character of the bracket (found by `make fuzz`,
        // fixtures/fuzz/toml); the scan works on Unicode scalars.
        let fuzzed = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/fuzz/toml/combining-mark-after-bracket.toml"), encoding: .utf8)
        for (text, line) in [("[.]", 1), ("a = 1\n[[[", 2), ("[ .x]", 1), ("[[.]]", 1), ("x = 1\n\n  [-]\n[\t#]", 4),
                             (fuzzed, 1), ("a = 1\n[\u{301}x]", 2)] {
            XCTAssertThrowsError(try TOMLReader.table(text, file: "t.toml"), text) {
                XCTAssertTrue("\($0)".hasPrefix("t.toml:\(line): "), "\(text): \($0)")
            }
        }
        // Brackets inside arrays and strings, quoted and dotted headers, comments are fine.
        let ok = """
            # [.] in a comment
            a = [
              [1, 2],
              [[3]],
            ]
            s = "[.]"
            m = \"\"\"
            [[[
            \"\"\"
            ["quoted key"]
            x = 1
            [t.u]
            y = 'z'
            [[arr]]
            k = 2
            """
        let t = try TOMLReader.table(ok, file: "ok.toml")
        XCTAssertEqual(t["s"]?.string, "[.]")
        XCTAssertEqual(t["m"]?.string, "[[[\n")
        XCTAssertThrowsError(try TOMLReader.table("a = ", file: "e.toml")) { XCTAssertTrue("\($0)".hasPrefix("e.toml:1: "), "\($0)") }
    }
}
