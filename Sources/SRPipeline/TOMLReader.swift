import TOMLKit

/// Reads TOML text (presets, training configs) into a table; every error is one line naming the
/// file and line.
///
/// TOMLKit's bundled parser (toml++) aborts the process on some malformed table headers (`[.]`,
/// `[[[`) instead of reporting them, so those are found first by a scan of our own.
public enum TOMLReader {
    /// The parsed table, or `PipelineError.invalidOption("FILE:LINE: what is wrong")`.
    public static func table(_ text: String, file: String) throws -> TOMLTable {
        if let line = badTableHeader(in: text) {
            throw PipelineError.invalidOption("\(file):\(line): a table header must start with a key name, e.g. [name]")
        }
        do {
            return try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw PipelineError.invalidOption("\(file):\(e.source.begin.line): \(e.description)")
        }
    }

    /// The first line whose table header (`[` or `[[` at the start of a line, outside strings
    /// and arrays) does not begin with a bare key character, a quote or `]`; nil when none.
    static func badTableHeader(in text: String) -> Int? {
        var line = 1, depth = 0, atLineStart = true
        // Unicode scalars, not Characters: a combining mark after `[` would make one Character of
        // both and hide the bracket (found by `make fuzz`: `[\u{655}"` aborted the parser).
        var string: (quote: Unicode.Scalar, multi: Bool)?
        let chars = Array(text.unicodeScalars)
        var i = 0
        func starts(_ s: String, at k: Int) -> Bool {
            let a = Array(s.unicodeScalars)
            return k + a.count <= chars.count && Array(chars[k..<(k + a.count)]) == a
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                line += 1; i += 1
                if let s = string, s.multi { continue }
                string = nil  // a single-line string does not go on (the parser reports it)
                atLineStart = true
                continue
            }
            if let s = string {
                if c == "\\" && s.quote == "\"" { i += 2; continue }
                if s.multi ? starts(String(repeating: String(s.quote), count: 3), at: i) : c == s.quote {
                    i += s.multi ? 3 : 1
                    string = nil
                } else {
                    i += 1
                }
                continue
            }
            if atLineStart && (c == " " || c == "\t" || c == "\r") { i += 1; continue }
            let wasLineStart = atLineStart
            atLineStart = false
            switch c {
            case "#":
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            case "\"", "'":
                let multi = starts(String(repeating: String(c), count: 3), at: i)
                string = (c, multi)
                i += multi ? 3 : 1
                continue
            case "[" where wasLineStart && depth == 0:
                var k = i + 1
                if k < chars.count && chars[k] == "[" { k += 1 }
                while k < chars.count && (chars[k] == " " || chars[k] == "\t") { k += 1 }
                guard k < chars.count else { return line }
                let first = chars[k]
                let bare = ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)
                if !(bare || "_-\"']".unicodeScalars.contains(first)) { return line }
                // The header ends on this line; its brackets are not an array.
                while i < chars.count && chars[i] != "\n" && chars[i] != "#" && chars[i] != "\"" && chars[i] != "'" { i += 1 }
                continue
            case "[", "{": depth += 1
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
            i += 1
        }
        return nil
    }
}
