/// The four TOML string forms and the unquoted scalars (booleans, numbers, date-times).
extension TOMLParser {
    /// `"..."` on one line, with escapes.
    mutating func basicString() throws -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw fail("a string is not closed with \"") }
            switch c {
            case UInt8(ascii: "\""): i += 1; return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try escape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw fail("a string must end on its line (use \"\"\" for a string of several lines)")
            default:
                if Self.isControl(c) { throw fail("control character \(Self.describe(c)) in a string (write it as an escape)") }
                out.append(c); i += 1
            }
        }
    }

    /// `'...'` on one line, as written.
    mutating func literalString() throws -> String {
        i += 1
        let start = i
        while true {
            guard let c = peek else { throw fail("a string is not closed with '") }
            if c == UInt8(ascii: "'") { i += 1; return String(decoding: b[start..<(i - 1)], as: UTF8.self) }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { throw fail("a '...' string must end on its line (use ''' for several lines)") }
            if Self.isControl(c) { throw fail("control character \(Self.describe(c)) in a string") }
            i += 1
        }
    }

    /// `"""..."""` (escapes, line-ending backslash) or `'''...'''` (as written); a newline right
    /// after the opening quotes is not part of the string; CRLF reads as LF.
    mutating func multilineString(literal: Bool) throws -> String {
        let q = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        let opened = line
        i += 3
        if peek == UInt8(ascii: "\n") { i += 1; line += 1 } else if starts("\r\n") { i += 2; line += 1 }
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw TOMLError(line: opened, message: "this multi-line string is not closed with \(literal ? "'''" : "\"\"\"")") }
            if c == q && at(1) == q && at(2) == q {
                var n = 3
                while at(n) == q { n += 1 }
                guard n <= 5 else { throw fail("more than two quotes before the end of a multi-line string") }
                out.append(contentsOf: repeatElement(q, count: n - 3))
                i += n
                return String(decoding: out, as: UTF8.self)
            }
            switch c {
            case UInt8(ascii: "\\") where !literal:
                var k = 1
                while at(k) == UInt8(ascii: " ") || at(k) == UInt8(ascii: "\t") { k += 1 }
                if at(k) == UInt8(ascii: "\n") || (at(k) == UInt8(ascii: "\r") && at(k + 1) == UInt8(ascii: "\n")) {
                    i += k
                    try skipBlankInString()
                } else {
                    try escape(into: &out)
                }
            case UInt8(ascii: "\n"): out.append(c); i += 1; line += 1
            case UInt8(ascii: "\r") where at(1) == UInt8(ascii: "\n"): out.append(UInt8(ascii: "\n")); i += 2; line += 1
            default:
                if Self.isControl(c) { throw fail("control character \(Self.describe(c)) in a string") }
                out.append(c); i += 1
            }
        }
    }

    /// After a line-ending backslash: every space, tab and newline up to the next other character.
    private mutating func skipBlankInString() throws {
        while let c = peek {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): i += 1
            case UInt8(ascii: "\n"): i += 1; line += 1
            case UInt8(ascii: "\r") where at(1) == UInt8(ascii: "\n"): i += 2; line += 1
            default: return
            }
        }
    }

    /// One escape (`\n`, `\"`, `\u00E9`, `\U0001F600`, ...) at the backslash.
    private mutating func escape(into out: inout [UInt8]) throws {
        i += 1
        guard let c = peek else { throw fail("a string ends in a backslash") }
        i += 1
        let simple: [UInt8: UInt8] = [0x62: 0x08, 0x74: 0x09, 0x6E: 0x0A, 0x66: 0x0C, 0x72: 0x0D, 0x22: 0x22, 0x5C: 0x5C]
        if let e = simple[c] { out.append(e); return }
        guard c == UInt8(ascii: "u") || c == UInt8(ascii: "U") else {
            throw fail("unknown escape \\\(Self.describe(c).trimmingQuotes) in a string (write \\\\ for a backslash)")
        }
        let n = c == UInt8(ascii: "u") ? 4 : 8
        guard i + n <= b.count, b[i..<(i + n)].allSatisfy(Self.isHexDigit),
              let v = UInt32(String(decoding: b[i..<(i + n)], as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(v) else {
            throw fail("\\\(Character(Unicode.Scalar(c))) must be followed by \(n) hex digits of a Unicode scalar value")
        }
        i += n
        out.append(contentsOf: String(scalar).utf8)
    }

    static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// A boolean, number or date-time: the run of characters up to the next space, comma,
    /// bracket, brace or comment (a date and a time may be separated by one space).
    mutating func scalar() throws -> TOMLValue {
        let start = i
        func isScalarByte(_ c: UInt8) -> Bool {
            Self.isBareKey(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
        }
        while let c = peek, isScalarByte(c) { i += 1 }
        if i - start == 10, peek == UInt8(ascii: " "), let d = at(1), d >= 0x30 && d <= 0x39, at(3) == UInt8(ascii: ":"),
           TOMLScalar.dateTime(Array(b[start..<i])) != nil {
            i += 1
            while let c = peek, isScalarByte(c) { i += 1 }
        }
        guard i > start else { throw fail("expected a value, found \(peek.map(Self.describe) ?? "the end of the file")") }
        let token = Array(b[start..<i])
        do {
            return try TOMLScalar.parse(token)
        } catch let e as TOMLScalar.Problem {
            throw fail(e.why)
        }
    }
}

private extension String {
    /// `'x'` -> `x`.
    var trimmingQuotes: String { hasPrefix("'") && hasSuffix("'") && count >= 3 ? String(dropFirst().dropLast()) : self }
}
