/// The tables of a TOML document while it is read, with the TOML 1.0 rules on which table may be
/// defined or extended where; `TOMLParser` drives it, `result` freezes it into a `TOMLTable`.
///
/// Not thread-safe: one builder per parse.
final class TOMLBuilder {
    /// How a table came to exist, which decides what may extend it later.
    enum Origin { case implicit, header, dotted, inline }

    final class Table {
        var origin: Origin
        var line: Int
        var keys: [String] = []
        var entries: [String: Entry] = [:]
        init(_ origin: Origin, line: Int) { self.origin = origin; self.line = line }
    }

    enum Entry {
        case value(TOMLValue, line: Int)
        case table(Table)
        /// `[[name]]` tables (`static` false), or an array literal that holds only tables.
        case tables([Table], line: Int)
    }

    let root = Table(.header, line: 1)
    /// The table that `key = value` lines go into (the last header's).
    private var current: Table

    init() { current = root }

    /// Handles `[a.b.c]`: every table on the way exists (implicitly) and the last is defined here.
    func header(_ path: [String], line: Int) throws {
        let parent = try walk(path.dropLast(), from: root, line: line, dotted: false)
        let name = path[path.count - 1]
        switch parent.entries[name] {
        case nil:
            let t = Table(.header, line: line)
            add(name, .table(t), to: parent)
            current = t
        case .table(let t) where t.origin == .implicit:
            t.origin = .header; t.line = line
            current = t
        case .table(let t):
            throw TOMLError(line: line, message: t.origin == .dotted
                ? "table '\(dotted(path))' was already defined by dotted keys"
                : "table '\(dotted(path))' is defined twice (first on line \(t.line))")
        case .tables:
            throw TOMLError(line: line, message: "'\(dotted(path))' is an array of tables ([[\(dotted(path))]]), not a table")
        case .value:
            throw TOMLError(line: line, message: "'\(dotted(path))' is already a value, not a table")
        }
    }

    /// Handles `[[a.b]]`: appends a new table to the array of tables `a.b`.
    func arrayHeader(_ path: [String], line: Int) throws {
        let parent = try walk(path.dropLast(), from: root, line: line, dotted: false)
        let name = path[path.count - 1]
        let t = Table(.header, line: line)
        switch parent.entries[name] {
        case nil: add(name, .tables([t], line: line), to: parent)
        case .tables(let list, let first) where list.first?.origin != .inline:
            parent.entries[name] = .tables(list + [t], line: first)
        default: throw TOMLError(line: line, message: "'\(dotted(path))' is not an array of tables")
        }
        current = t
    }

    /// Handles `a.b.c = value` in the current table (or in `into`, for inline tables).
    func keyValue(_ path: [String], _ value: TOMLValue, line: Int, into: Table? = nil) throws {
        let parent = try walk(path.dropLast(), from: into ?? current, line: line, dotted: true)
        let name = path[path.count - 1]
        guard parent.entries[name] == nil else {
            throw TOMLError(line: line, message: "key '\(dotted(path))' is defined twice")
        }
        add(name, .value(value, line: line), to: parent)
    }

    /// The tables along `path` below `start`, created implicitly (or as dotted-key tables) when missing.
    private func walk(_ path: ArraySlice<String>, from start: Table, line: Int, dotted: Bool) throws -> Table {
        var t = start
        for (i, name) in path.enumerated() {
            let sofar = Array(path.prefix(i + 1))
            switch t.entries[name] {
            case nil:
                let child = Table(dotted ? .dotted : .implicit, line: line)
                add(name, .table(child), to: t)
                t = child
            case .table(let child):
                if child.origin == .inline || (dotted && child.origin != .dotted) {
                    throw TOMLError(line: line, message: child.origin == .inline
                        ? "inline table '\(self.dotted(sofar))' cannot be extended"
                        : "table '\(self.dotted(sofar))' was defined by a header and cannot be extended by dotted keys")
                }
                t = child
            case .tables(let list, _):
                guard !dotted, let last = list.last, last.origin != .inline else {
                    throw TOMLError(line: line, message: "'\(self.dotted(sofar))' is an array and cannot be extended here")
                }
                t = last
            case .value:
                throw TOMLError(line: line, message: "'\(self.dotted(sofar))' is already a value, not a table")
            }
        }
        return t
    }

    private func add(_ name: String, _ entry: Entry, to t: Table) {
        t.keys.append(name)
        t.entries[name] = entry
    }

    private func dotted(_ path: [String]) -> String { path.map(TOMLValue.key).joined(separator: ".") }

    /// The document as immutable values.
    func result() -> TOMLTable { Self.freeze(root) }

    static func freeze(_ t: Table) -> TOMLTable {
        var out = TOMLTable()
        for k in t.keys {
            switch t.entries[k] {
            case .value(let v, let line): out.append(k, v, line: line)
            case .table(let child): out.append(k, .table(freeze(child)), line: child.line)
            case .tables(let list, let line): out.append(k, .array(list.map { .table(freeze($0)) }), line: line)
            case nil: break
            }
        }
        return out
    }
}

/// A TOML syntax or definition error at a 1-based line.
public struct TOMLError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { message }
}
