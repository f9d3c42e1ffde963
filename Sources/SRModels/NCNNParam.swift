import Foundation

/// One value of an ncnn layer parameter: an integer, a float or an array.
public enum NCNNParamValue: Sendable, Equatable {
    case int(Int)
    case float(Float)
    case array([Float])
}

/// The parameters of one layer, with the file and layer names for error messages.
///
/// Keys are ncnn's parameter ids; an array written as `-23310=N,...` is stored under key 10.
public struct NCNNLayerParams: Sendable {
    /// File name (last path component) of the `.param` file, for messages.
    public var file: String
    /// Layer type, e.g. `Convolution`.
    public var type: String
    /// Layer name, e.g. `Conv_17`.
    public var name: String
    /// The parsed `key=value` pairs.
    public var values: [Int: NCNNParamValue]
    /// Number of input blobs the layer line lists.
    public var inputCount: Int
    /// Number of output blobs the layer line lists.
    public var outputCount: Int

    /// Creates a parameter set.
    public init(file: String, type: String, name: String, values: [Int: NCNNParamValue] = [:],
                inputCount: Int = 1, outputCount: Int = 1) {
        self.file = file; self.type = type; self.name = name; self.values = values
        self.inputCount = inputCount; self.outputCount = outputCount
    }

    /// Throws `unsupportedParameter` for the smallest key not in `allowed`.
    public func requireKeys(_ allowed: Set<Int>) throws {
        if let bad = values.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw ModelError.unsupportedParameter(file: file, layer: name, type: type, key: bad)
        }
    }

    /// Integer parameter `key`, or `def` when absent.
    public func int(_ key: Int, _ def: Int) throws -> Int {
        switch values[key] {
        case nil: return def
        case .int(let v): return v
        case .float(let f) where f == f.rounded(): return Int(f)
        default: throw unsupported("parameter \(key) must be an integer")
        }
    }

    /// Float parameter `key`, or `def` when absent.
    public func float(_ key: Int, _ def: Float) throws -> Float {
        switch values[key] {
        case nil: return def
        case .int(let v): return Float(v)
        case .float(let f): return f
        case .array: throw unsupported("parameter \(key) must be a number")
        }
    }

    /// Array parameter `key` (written `-(23300+key)=N,...`), or `[]` when absent.
    public func array(_ key: Int) throws -> [Float] {
        switch values[key] {
        case nil: return []
        case .array(let a): return a
        case .int(let v): return [Float(v)]
        case .float(let f): return [f]
        }
    }

    /// An `unsupportedValue` error for this layer.
    public func unsupported(_ detail: String) -> ModelError {
        .unsupportedValue(file: file, layer: name, type: type, detail: detail)
    }

    /// A `weightShape` error for this layer.
    public func shapeError(_ detail: String) -> ModelError {
        .weightShape(file: file, layer: name, detail: detail)
    }
}

/// One layer line of an ncnn `.param` file.
public struct NCNNLayerSpec: Sendable {
    /// Layer type and name plus parameters.
    public var params: NCNNLayerParams
    /// Input blob names, in order.
    public var bottoms: [String]
    /// Output blob names, in order.
    public var tops: [String]
    /// 1-based line number in the file.
    public var line: Int

    /// Layer type, e.g. `Convolution`.
    public var type: String { params.type }
    /// Layer name.
    public var name: String { params.name }
}

/// A parsed text ncnn `.param` file (magic 7767517).
public struct NCNNParam: Sendable {
    /// File name used in messages.
    public var file: String
    /// The layers in file order (which is a topological order).
    public var layers: [NCNNLayerSpec]
    /// Declared blob count from the header.
    public var blobCount: Int

    /// Reads and parses the `.param` file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path)
                                        ? "permission denied" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ModelError.notParamFile(path: path) }
        try self.init(text: text, file: (path as NSString).lastPathComponent, path: path)
    }

    /// Parses `.param` text; `file` names the source in error messages.
    public init(text: String, file: String = "model.param", path: String? = nil) throws {
        self.file = file
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated().map { (number: $0.offset + 1, fields: $0.element.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })) }
            .filter { !$0.fields.isEmpty }
        guard let magic = lines.first, magic.fields.count == 1, magic.fields[0] == "7767517" else {
            throw ModelError.notParamFile(path: path ?? file)
        }
        lines.removeFirst()
        guard let header = lines.first, header.fields.count == 2,
              let layerCount = Int(header.fields[0]), let blobCount = Int(header.fields[1]),
              layerCount >= 0, blobCount >= 0 else {
            throw ModelError.malformedParam(file: file, line: lines.first?.number ?? 2,
                                            reason: "expected '<layer count> <blob count>'")
        }
        lines.removeFirst()
        self.blobCount = blobCount
        guard lines.count == layerCount else {
            throw ModelError.malformedParam(file: file, line: lines.last?.number ?? 2,
                                            reason: "header declares \(layerCount) layers, file has \(lines.count)")
        }
        layers = try lines.map { try NCNNParam.parseLayer($0.fields.map(String.init), line: $0.number, file: file) }
    }

    private static func parseLayer(_ f: [String], line: Int, file: String) throws -> NCNNLayerSpec {
        func bad(_ r: String) -> ModelError { .malformedParam(file: file, line: line, reason: r) }
        guard f.count >= 4, let nb = Int(f[2]), let nt = Int(f[3]), nb >= 0, nt >= 0 else {
            throw bad("expected '<type> <name> <input count> <output count> ...'")
        }
        // Compared by subtraction: a count near Int.max must not overflow `4 + nb + nt`.
        guard nb <= f.count - 4, nt <= f.count - 4 - nb else { throw bad("layer '\(f[1])' lists fewer blob names than declared") }
        let bottoms = Array(f[4..<(4 + nb)]), tops = Array(f[(4 + nb)..<(4 + nb + nt)])
        var values: [Int: NCNNParamValue] = [:]
        for item in f[(4 + nb)...].dropFirst(nt) {
            guard let eq = item.firstIndex(of: "="), let rawKey = Int(item[..<eq]) else {
                throw bad("expected key=value, got '\(item)'")
            }
            let valueText = String(item[item.index(after: eq)...])
            if rawKey <= -23300 {
                let key = -rawKey - 23300
                let parts = valueText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard let count = parts.first.flatMap({ Int($0) }), count >= 0, parts.count == count + 1 else {
                    throw bad("array parameter \(rawKey) must be 'N,v1,...,vN', got '\(valueText)'")
                }
                var arr: [Float] = []
                for p in parts.dropFirst() {
                    guard let v = parseNumber(p) else { throw bad("bad number '\(p)' in parameter \(rawKey)") }
                    arr.append(v.float)
                }
                values[key] = .array(arr)
            } else {
                guard let v = parseNumber(valueText) else { throw bad("bad value '\(valueText)' for parameter \(rawKey)") }
                values[rawKey] = v.isFloat ? .float(v.float) : .int(v.int)
            }
        }
        return NCNNLayerSpec(params: NCNNLayerParams(file: file, type: f[0], name: f[1], values: values,
                                                     inputCount: nb, outputCount: nt),
                             bottoms: bottoms, tops: tops, line: line)
    }

    /// ncnn's rule: a value containing '.', 'e' or 'E' is a float, otherwise an integer.
    private static func parseNumber(_ s: String) -> (isFloat: Bool, int: Int, float: Float)? {
        if s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            guard let f = Float(s) else { return nil }
            return (true, 0, f)
        }
        guard let i = Int(s) else { return nil }
        return (false, i, Float(i))
    }
}
