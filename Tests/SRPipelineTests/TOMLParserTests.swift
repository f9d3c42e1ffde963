import Foundation
@testable import SRPipeline
import XCTest

/// Our TOML 1.0 parser: values, the definition rules, one-line errors at the right line, inputs
/// that aborted TOMLKit (issue 22, case 1 and `make fuzz`), and agreement with Python's `tomllib`
/// on every preset, training config and a set of valid and invalid documents.
final class TOMLParserTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testValues() throws {
        let t = try TOMLParser.parse("""
            \u{FEFF}# comment
            s = "a\\tb \\"q\\" \\u00e9 \\U0001F600"
            l = 'C:\\path'
            ml = \"\"\"
            one \\
              two\"\"\"\"
            mll = '''
            raw \\n'''
            i = +1_000
            h = 0xdead_beef
            o = 0o17
            b = 0b101
            f = -3.5e-2
            inf = -inf
            yes = true
            d = 1979-05-27 07:32:00Z
            arr = [ 1, "two", [3.0], { x = 1 }, ] # trailing comma
            [tab."quoted key".c]
            k = { a.b = 1, c = [] }
            [[items]]
            n = 1
            [[items]]
            n = 2
            [items.sub]
            z = 0
            """)
        XCTAssertEqual(t["s"]?.string, "a\tb \"q\" é 😀")
        XCTAssertEqual(t["l"]?.string, "C:\\path")
        XCTAssertEqual(t["ml"]?.string, "one two\"")
        XCTAssertEqual(t["mll"]?.string, "raw \\n")
        XCTAssertEqual(t["i"]?.int, 1000)
        XCTAssertEqual(t["h"]?.int, 0xdeadbeef)
        XCTAssertEqual(t["o"]?.int, 15)
        XCTAssertEqual(t["b"]?.int, 5)
        XCTAssertEqual(t["f"]?.double, -0.035)
        XCTAssertEqual(t["inf"]?.double, -.infinity)
        XCTAssertNil(t["i"]?.double, "an integer is not a float")
        XCTAssertEqual(t["yes"]?.bool, true)
        XCTAssertEqual(t["d"], .dateTime("1979-05-27T07:32:00Z"))
        XCTAssertEqual(t["arr"]?.array?.count, 4)
        XCTAssertEqual(t["arr"]?.array?[3].table?["x"]?.int, 1)
        XCTAssertEqual(t["tab"]?.table?["quoted key"]?.table?["c"]?.table?["k"]?.table?["a"]?.table?["b"]?.int, 1)
        let items = try XCTUnwrap(t["items"]?.array)
        XCTAssertEqual(items.compactMap { $0.table?["n"]?.int }, [1, 2])
        XCTAssertEqual(items[1].table?["sub"]?.table?["z"]?.int, 0)
        XCTAssertEqual(Array(t.keys.prefix(3)), ["s", "l", "ml"], "file order")
        XCTAssertEqual(t.line(of: "l"), 3)
        XCTAssertEqual(t.line(of: "tab"), 18)
        XCTAssertEqual(t["s"]?.debugDescription, "\"a\\tb \\\"q\\\" é 😀\"")
    }

    /// Each error is at the line that holds the problem (an unclosed array or string: where it opens).
    func testErrorsNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("[.]", 1, "a table header must start with a key name"), ("a = 1\n[[[", 2, "a table header must start"),
            ("[ .x]", 1, "key name"), ("x = 1\n\n  [-]\n[\t#]", 4, "key name"), ("a = 1\n[\u{301}x]", 2, "key name"),
            ("a = ", 1, "expected a value"), ("a = 1\na = 2", 2, "defined twice"), ("[t]\n[t]", 2, "defined twice (first on line 1)"),
            ("a = 1\nb = [\n1,\n", 2, "not closed with ]"), ("s = \"\"\"\nx\n", 1, "not closed"), ("s = \"x\ny\"", 1, "end on its line"),
            ("n = 012", 1, "not a valid number"), ("n = 1__0", 1, "not a valid number"), ("n = 9223372036854775808", 1, "64-bit"),
            ("m = fast", 1, "a string needs quotes"), ("d = 2023-02-29", 1, "not a valid date"), ("a = 1 b = 2", 1, "unexpected 'b'"),
            ("t = {a = 1,}", 1, "expected a key name"), ("t = {a = 1\n}", 1, "on one line"), ("a.b = 1\n[a]", 2, "dotted keys"),
            ("a = {x = 1}\n[a.y]", 2, "already a value"), ("[[a]]\n[a]", 2, "array of tables"), ("a = [1]\n[[a]]", 2, "not an array of tables"),
            ("s = \"\\q\"", 1, "unknown escape \\q"), ("s = \"\\uD800\"", 1, "Unicode scalar"), ("k\u{1} = 1", 1, "U+0001"),
            ("a = 1\r", 1, "U+000D"), ("[a.b]\nc = 1\n[a]\nb.d = 1", 4, "defined by a header"),
            ("x = " + String(repeating: "[", count: 100), 1, "nested more than 64"),
        ]
        for (text, line, needle) in cases {
            XCTAssertThrowsError(try TOMLReader.table(text, file: "t.toml"), text) {
                let message = "\($0)"
                XCTAssertTrue(message.hasPrefix("t.toml:\(line): "), "\(text.debugDescription): \(message)")
                XCTAssertTrue(message.contains(needle), "\(text.debugDescription): \(message)")
            }
        }
    }

    /// Every input `make fuzz` found (fixtures/fuzz/): an error or a table, never an abort.
    func testFuzzFindingsAreErrorsNotCrashes() throws {
        for dir in ["toml", "training-config"] {
            let folder = Self.root.appendingPathComponent("fixtures/fuzz/\(dir)")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
            XCTAssertFalse(names.isEmpty, dir)
            for name in names {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                XCTAssertThrowsError(try TOMLReader.table(String(decoding: data, as: UTF8.self), file: name), name) {
                    XCTAssertTrue("\($0)".hasPrefix("\(name):"), "\($0)")
                }
            }
        }
    }

    /// The same verdict and values as Python's `tomllib` (the reference TOML 1.0 reader) on our
    /// presets, training configs and the documents of this test.
    func testAgreesWithPythonTomllib() throws {
        var docs: [String] = [
            "a.b.c = 1\na.d = 2\n[x]\ny.z = 's'", "[a.b]\nx = 1\n[a]\ny = 2", "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true",
            "t = 1979-05-27T00:32:00.999999-07:00\nld = 1979-05-27\nlt = 07:32:00", "e = \"\"\"\"\"\"\"\nf = ''''''''",
            "n = [nan, +inf, -0.0, 1e+10, 6.626e-34, 0]", "\"\" = 1\n'' = 2", "k = \"\"\"a\\\n\n   b\"\"\"", "x = [\n# c\n1 # d\n,2]",
            "a = 1\n[a]", "[a]\nb = 1\n[a.b]", "a = [1,,2]", "a = .5", "a = 5.", "a = 1e", "a = 0x", "a = -0x1", "a = 00", "a = true2",
            "a = 1979-05-27T25:00:00", "a = { b = 1, b = 2 }", "[a]\nb.c = 1\n[a.b.c]", "a = 'x\u{7F}'", "# \u{0}", "[[a]]\nb = 1\n[a.b]\nc = 2",
            "a = 1\n\n\n[ b . c ]\n  d = 'e'", "a = \"\\U0010FFFF\"", "a = \"\\U00110000\"", "x = [ [ ] , [ [ ] ] ]", "a = +nan",
        ]
        for folder in ["presets", "presets/training"] {
            let dir = Self.root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".toml") {
                docs.append(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
            }
        }
        let python = try Self.pythonCanonical(docs)
        XCTAssertEqual(python.count, docs.count)
        for (doc, expected) in zip(docs, python) {
            let ours = (try? TOMLParser.parse(doc)).map { Self.canonical(.table($0)) } ?? "ERR"
            XCTAssertEqual(ours, expected, doc.debugDescription)
        }
    }

    /// A type-tagged rendering both sides can produce exactly (floats by bit pattern, strings as
    /// UTF-8 hex, date-times by kind only).
    static func canonical(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s): return "s" + s.utf8.map { String(format: "%02x", $0) }.joined()
        case .integer(let i): return "i\(i)"
        case .float(let d): return d.isNaN ? "fnan" : "f" + String(d.bitPattern, radix: 16)
        case .bool(let b): return "b\(b)"
        case .dateTime: return "d"
        case .array(let a): return "[" + a.map(canonical).joined(separator: ",") + "]"
        case .table(let t):
            return "{" + t.keys.sorted().map { "s" + $0.utf8.map { String(format: "%02x", $0) }.joined() + ":" + canonical(t[$0] ?? .bool(false)) }
                .joined(separator: ",") + "}"
        }
    }

    static func pythonCanonical(_ docs: [String]) throws -> [String] {
        let script = """
            import json, math, struct, sys, tomllib, datetime
            def c(v):
                if isinstance(v, bool): return "b" + ("true" if v else "false")
                if isinstance(v, int): return "i%d" % v
                if isinstance(v, float): return "fnan" if math.isnan(v) else "f%x" % struct.unpack(">Q", struct.pack(">d", v))[0]
                if isinstance(v, str): return "s" + v.encode().hex()
                if isinstance(v, (datetime.datetime, datetime.date, datetime.time)): return "d"
                if isinstance(v, list): return "[" + ",".join(c(x) for x in v) + "]"
                return "{" + ",".join("s" + k.encode().hex() + ":" + c(v[k]) for k in sorted(v)) + "}"
            out = []
            for doc in json.load(sys.stdin):
                try: out.append(c(tomllib.loads(doc)))
                except Exception: out.append("ERR")
            print(json.dumps(out))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(docs))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 with tomllib (Python >= 3.11) is needed")
        return try JSONDecoder().decode([String].self, from: data)
    }
}
