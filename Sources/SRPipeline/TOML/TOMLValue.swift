/// One TOML value (TOML 1.0): what `TOMLParser` produces from presets and training configs.
public indirect enum TOMLValue: Sendable, Equatable, CustomDebugStringConvertible {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// An offset or local date-time, date or time, kept as written (with `T` for a space separator).
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The string, or nil for any other kind.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The integer, or nil for any other kind (a float is not an integer).
    public var int: Int? { if case .integer(let i) = self { i } else { nil } }
    /// The float, or nil for any other kind (an integer is not a float).
    public var double: Double? { if case .float(let d) = self { d } else { nil } }
    /// The boolean, or nil for any other kind.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The elements of an array, or nil for any other kind.
    public var array: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    /// The table (a `[header]` table, an inline table or a dotted-key table), or nil.
    public var table: TOMLTable? { if case .table(let t) = self { t } else { nil } }

    /// The value as TOML would write it (strings quoted and escaped), for error messages.
    public var debugDescription: String {
        switch self {
        case .string(let s): return TOMLValue.quoted(s)
        case .integer(let i): return String(i)
        case .float(let d): return d.isNaN ? "nan" : d.isInfinite ? (d < 0 ? "-inf" : "inf") : "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .dateTime(let s): return s
        case .array(let a): return "[" + a.map(\.debugDescription).joined(separator: ", ") + "]"
        case .table(let t):
            return t.isEmpty ? "{}" : "{ " + t.map { "\(TOMLValue.key($0.key)) = \($0.value.debugDescription)" }
                .joined(separator: ", ") + " }"
        }
    }

    /// A basic string literal of `s`, with control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A key as TOML writes it: bare when it can be, quoted otherwise.
    static func key(_ k: String) -> String {
        let bare = !k.isEmpty && k.unicodeScalars.allSatisfy { TOMLParser.isBareKey(UInt8(truncatingIfNeeded: $0.value)) && $0.isASCII }
        return bare ? k : quoted(k)
    }
}

/// A TOML table: its keys in file order, their values, and the line each key was defined on.
public struct TOMLTable: Sendable, Equatable, Sequence {
    /// The keys in the order the file defines them.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    /// An empty table.
    public init() {}

    /// The value of `key`, or nil when the table has none.
    public subscript(key: String) -> TOMLValue? { values[key] }
    /// The 1-based line that defined `key` (for a table, its header or first dotted key).
    public func line(of key: String) -> Int? { lines[key] }
    /// Number of keys.
    public var count: Int { keys.count }
    /// True when the table has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// Adds `key` (the builder has already checked it is new).
    mutating func append(_ key: String, _ value: TOMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = line
    }

    /// The (key, value) pairs in file order.
    public func makeIterator() -> AnyIterator<(key: String, value: TOMLValue)> {
        var i = 0
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            let k = keys[i]
            return values[k].map { (k, $0) }
        }
    }
}
