/// Reads TOML 1.0 text (presets, training configs) into a `TOMLTable`.
///
/// Our own parser, in Swift: no input can abort the process (TOMLKit's bundled toml++ did, on
/// `[.]`, `[[[` and more found by `make fuzz`); every error is a `TOMLError` with its line.
/// Nesting deeper than `maxDepth` arrays or inline tables is an error, not a stack overflow.
public struct TOMLParser {
    /// The deepest nesting of arrays and inline tables accepted.
    public static let maxDepth = 64

    /// The document's root table, or a `TOMLError` naming the line and what is wrong.
    public static func parse(_ text: String) throws -> TOMLTable {
        var p = TOMLParser(bytes: Array(text.utf8))
        return try p.document()
    }

    var b: [UInt8]
    var i = 0
    var line = 1
    let builder = TOMLBuilder()

    init(bytes: [UInt8]) { b = bytes }

    var peek: UInt8? { i < b.count ? b[i] : nil }
    func at(_ k: Int) -> UInt8? { i + k < b.count ? b[i + k] : nil }
    func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

    mutating func document() throws -> TOMLTable {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < b.count {
            skipSpaces()
            switch peek {
            case UInt8(ascii: "["): try header()
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), nil: break
            default:
                let start = line
                let (path, value) = try keyValue(depth: 0)
                try builder.keyValue(path, value, line: start)
            }
            try endOfLine()
        }
        return builder.result()
    }

    /// `[a.b]` or `[[a.b]]`.
    mutating func header() throws {
        i += 1
        let isArray = peek == UInt8(ascii: "[")
        if isArray { i += 1 }
        skipSpaces()
        let path = try key(in: "a table header must start with a key name, e.g. [name]")
        for _ in 0..<(isArray ? 2 : 1) {
            guard peek == UInt8(ascii: "]") else {
                throw fail(isArray ? "an array-of-tables header must end with ]]" : "a table header must end with ]")
            }
            i += 1
        }
        if isArray { try builder.arrayHeader(path, line: line) } else { try builder.header(path, line: line) }
    }

    /// `key = value`; the caller defines it.
    mutating func keyValue(depth: Int) throws -> ([String], TOMLValue) {
        let path = try key(in: "expected a key name")
        guard peek == UInt8(ascii: "=") else {
            throw fail(peek.map { "expected = after the key '\(path.joined(separator: "."))', found \(Self.describe($0))" }
                       ?? "expected = and a value after the key '\(path.joined(separator: "."))'")
        }
        i += 1
        skipSpaces()
        return (path, try value(depth: depth))
    }

    /// A dotted key (`a."b c".d`), with the spaces after it skipped; `what` starts the error.
    mutating func key(in what: String) throws -> [String] {
        var parts: [String] = []
        repeat {
            if !parts.isEmpty { i += 1; skipSpaces() }
            switch peek {
            case UInt8(ascii: "\""): parts.append(try basicString())
            case UInt8(ascii: "'"): parts.append(try literalString())
            default:
                let start = i
                while let c = peek, Self.isBareKey(c) { i += 1 }
                guard i > start else {
                    throw fail(peek.map { "\(what), found \(Self.describe($0))" } ?? what)
                }
                parts.append(String(decoding: b[start..<i], as: UTF8.self))
            }
            skipSpaces()
        } while peek == UInt8(ascii: ".")
        return parts
    }

    mutating func value(depth: Int) throws -> TOMLValue {
        guard depth < Self.maxDepth else { throw fail("arrays or inline tables nested more than \(Self.maxDepth) deep") }
        switch peek {
        case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"): throw fail("expected a value after =")
        case UInt8(ascii: "\""): return .string(try starts("\"\"\"") ? multilineString(literal: false) : basicString())
        case UInt8(ascii: "'"): return .string(try starts("'''") ? multilineString(literal: true) : literalString())
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "{"): return try inlineTable(depth: depth)
        default: return try scalar()
        }
    }

    mutating func array(depth: Int) throws -> TOMLValue {
        i += 1
        let opened = line
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek == UInt8(ascii: "]") { i += 1; return .array(items) }
            if peek == nil { throw TOMLError(line: opened, message: "this array is not closed with ]") }
            items.append(try value(depth: depth + 1))
            try skipBlank()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(items)
            case let c?: throw fail("expected , or ] in an array, found \(Self.describe(c))")
            case nil: throw TOMLError(line: opened, message: "this array is not closed with ]")
            }
        }
    }

    mutating func inlineTable(depth: Int) throws -> TOMLValue {
        i += 1
        let table = TOMLBuilder.Table(.inline, line: line)
        skipSpaces()
        if peek == UInt8(ascii: "}") { i += 1; return .table(TOMLTable()) }
        while true {
            let start = line
            let (path, v) = try keyValue(depth: depth + 1)
            try builder.keyValue(path, v, line: start, into: table)
            skipSpaces()
            switch peek {
            case UInt8(ascii: ","): i += 1; skipSpaces()
            case UInt8(ascii: "}"): i += 1; return .table(TOMLBuilder.freeze(table))
            case let c?: throw fail("expected , or } in an inline table (which stays on one line), found \(Self.describe(c))")
            case nil: throw fail("an inline table is not closed with }")
            }
        }
    }

    /// Spaces, then an optional comment, then the end of the line or of the file.
    mutating func endOfLine() throws {
        skipSpaces()
        if peek == UInt8(ascii: "#") { try comment() }
        switch peek {
        case nil: return
        case UInt8(ascii: "\n"): i += 1; line += 1
        case UInt8(ascii: "\r") where at(1) == UInt8(ascii: "\n"): i += 2; line += 1
        case let c?: throw fail("unexpected \(Self.describe(c)); a line holds one key = value, a [table] header or a comment")
        }
    }

    mutating func comment() throws {
        while let c = peek, c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\r") && at(1) == UInt8(ascii: "\n") { return }
            if Self.isControl(c) { throw fail("control character \(Self.describe(c)) in a comment") }
            i += 1
        }
    }

    /// Spaces, tabs, newlines and comments (inside arrays).
    mutating func skipBlank() throws {
        while let c = peek {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): i += 1
            case UInt8(ascii: "\n"): i += 1; line += 1
            case UInt8(ascii: "\r") where at(1) == UInt8(ascii: "\n"): i += 2; line += 1
            case UInt8(ascii: "#"): try comment()
            default: return
            }
        }
    }

    mutating func skipSpaces() {
        while let c = peek, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { i += 1 }
    }

    func starts(_ s: String) -> Bool { b[i...].starts(with: s.utf8) }

    /// A-Z a-z 0-9 _ -
    static func isBareKey(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }

    /// Control characters TOML allows in no string or comment (tab is allowed).
    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    /// A byte as a message shows it: 'x' when printable ASCII, else its code.
    static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        if c == 0x20 { return "a space" }
        let hex = String(c, radix: 16, uppercase: true)
        return c < 0x80 ? "U+" + String(repeating: "0", count: 4 - hex.count) + hex : "a non-ASCII character"
    }
}
