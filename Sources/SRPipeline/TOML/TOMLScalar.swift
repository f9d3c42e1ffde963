/// Unquoted TOML values: booleans, integers (decimal, 0x, 0o, 0b, with `_` between digits), floats
/// (with `inf` and `nan`) and date-times (RFC 3339, as TOML 1.0 allows them).
enum TOMLScalar {
    /// Why a token is not a value, for the parser's one-line error.
    struct Problem: Error { var why: String }

    static func parse(_ t: [UInt8]) throws -> TOMLValue {
        let s = String(decoding: t, as: UTF8.self)
        switch s {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if let d = dateTime(t) { return .dateTime(d) }
        let shown = s.count > 40 ? String(s.prefix(40)) + "..." : s
        if (t.count >= 10 && t[4] == UInt8(ascii: "-") && t[7] == UInt8(ascii: "-")) || (t.count >= 5 && t[2] == UInt8(ascii: ":")) {
            throw Problem(why: "'\(shown)' is not a valid date or time (YYYY-MM-DD, HH:MM:SS, or both joined by T)")
        }
        if t.count > 2, t[0] == 0x30, let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][t[1]] {
            let digits = Array(t[2...])
            guard separated(digits, by: { Int(String(Unicode.Scalar($0)), radix: radix) != nil }) else {
                throw Problem(why: "'\(shown)' is not a base-\(radix) integer")
            }
            guard let v = Int(String(decoding: digits.filter { $0 != 0x5F }, as: UTF8.self), radix: radix) else {
                throw Problem(why: "'\(shown)' is out of the 64-bit integer range")
            }
            return .integer(v)
        }
        var body = t[...]
        if let f = body.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { body = body.dropFirst() }
        let expAt = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(expAt ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        let whole = Array(mantissa[..<(dot ?? mantissa.endIndex)])
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        var ok = separated(whole, by: isDigit) && !(whole.count > 1 && whole[0] == 0x30)
        if let dot { ok = ok && separated(Array(mantissa[(dot + 1)...]), by: isDigit) }
        if let expAt {
            var exp = body[(expAt + 1)...]
            if let f = exp.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { exp = exp.dropFirst() }
            ok = ok && separated(Array(exp), by: isDigit)
        }
        guard ok else {
            let looksNumeric = t.first.map { isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") } ?? false
            throw Problem(why: looksNumeric ? "'\(shown)' is not a valid number"
                                            : "'\(shown)' is not a value (a string needs quotes: \"\(shown)\")")
        }
        let plain = String(decoding: t.filter { $0 != 0x5F }, as: UTF8.self)
        if dot == nil && expAt == nil {
            guard let v = Int(plain) else { throw Problem(why: "'\(shown)' is out of the 64-bit integer range") }
            return .integer(v)
        }
        guard let d = Double(plain) else { throw Problem(why: "'\(shown)' is not a valid number") }
        return .float(d)
    }

    /// Digits (as `isDigit` says) with single underscores only between them; not empty.
    static func separated(_ t: [UInt8], by isDigit: (UInt8) -> Bool) -> Bool {
        guard let f = t.first, let l = t.last, isDigit(f), isDigit(l) else { return false }
        var lastWasUnderscore = false
        for c in t {
            if c == 0x5F {
                if lastWasUnderscore { return false }
                lastWasUnderscore = true
            } else {
                guard isDigit(c) else { return false }
                lastWasUnderscore = false
            }
        }
        return true
    }

    /// The date-time written as `t` (a `T` for the separator, `Z` upper case), or nil when `t` is
    /// not a valid offset or local date-time, local date or local time.
    static func dateTime(_ t: [UInt8]) -> String? {
        var k = 0
        func number(_ n: Int) -> Int? {
            guard k + n <= t.count, t[k..<(k + n)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            defer { k += n }
            return t[k..<(k + n)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        func take(_ c: Character) -> Bool {
            guard k < t.count, t[k] == c.asciiValue else { return false }
            k += 1
            return true
        }
        func time() -> Bool {
            guard let h = number(2), h < 24, take(":"), let m = number(2), m < 60, take(":"), let s = number(2), s <= 60 else {
                return false
            }
            if take(".") {
                let start = k
                while k < t.count, t[k] >= 0x30 && t[k] <= 0x39 { k += 1 }
                return k > start
            }
            return true
        }
        var out = t
        if t.count >= 10, t[4] == UInt8(ascii: "-") {
            guard let y = number(4), take("-"), let mo = number(2), (1...12).contains(mo), take("-"), let d = number(2) else { return nil }
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
            guard (1...days).contains(d) else { return nil }
            if k == t.count { return String(decoding: t, as: UTF8.self) }
            guard k < t.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(t[k]) else { return nil }
            out[k] = UInt8(ascii: "T")
            k += 1
            guard time() else { return nil }
            if k < t.count && (t[k] == UInt8(ascii: "Z") || t[k] == UInt8(ascii: "z")) {
                out[k] = UInt8(ascii: "Z")
                k += 1
            } else if take("+") || take("-") {
                guard let oh = number(2), oh < 24, take(":"), let om = number(2), om < 60 else { return nil }
            }
        } else {
            guard t.count >= 8, t[2] == UInt8(ascii: ":"), time() else { return nil }
        }
        return k == t.count ? String(decoding: out, as: UTF8.self) : nil
    }
}
