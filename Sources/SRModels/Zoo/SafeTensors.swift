import Foundation

/// A safetensors file in memory: named float tensors plus string metadata.
///
/// Format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping
/// each name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data that
/// follows the header) plus an optional `"__metadata__"` object of strings, then the raw data.
/// Reading accepts F32, F16 and BF16 (converted to Float); writing uses F32.
public struct SafeTensors: Sendable, Equatable {
    /// One tensor: its shape and values.
    public struct Entry: Sendable, Equatable {
        /// Dimensions, outermost first.
        public var shape: [Int]
        /// Values in row-major order.
        public var values: [Float]
        /// Creates an entry; `values.count` must equal the product of `shape`.
        public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
    }

    /// Tensors by name.
    public var tensors: [String: Entry]
    /// String metadata (`__metadata__`).
    public var metadata: [String: String]

    /// Creates a file's contents.
    public init(tensors: [String: Entry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors; self.metadata = metadata
    }

    /// Parses the bytes of a file; `file` names it in errors.
    public init(bytes: [UInt8], file: String) throws {
        func bad(_ d: String) -> ModelError { .badWeightsFile(file: file, detail: d) }
        guard bytes.count >= 8 else { throw bad("shorter than the 8-byte header length") }
        var length: UInt64 = 0  // unsigned: a crafted 2^63 must read as itself, not as a negative number
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length > 1, length <= UInt64(bytes.count - 8) else {
            throw bad("header length \(length) does not fit in \(bytes.count) bytes")
        }
        let n = Int(length)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) } catch { throw bad("header is not JSON") }
        guard let header = json as? [String: Any] else { throw bad("header is not a JSON object") }
        let base = 8 + n
        var tensors: [String: Entry] = [:], meta: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m { meta[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw bad("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            let count = shape.reduce(1, *), width: Int
            switch dtype {
            case "F32": width = 4
            case "F16", "BF16": width = 2
            default: throw bad("tensor '\(name)' has dtype \(dtype); supported: F32, F16, BF16")
            }
            guard offsets[0] >= 0, offsets[1] - offsets[0] == count * width, base + offsets[1] <= bytes.count else {
                throw bad("tensor '\(name)' data_offsets \(offsets) do not match shape \(shape) of \(dtype) or the file size")
            }
            var values = [Float](repeating: 0, count: count)
            let start = base + offsets[0]
            for i in 0..<count {
                let o = start + i * width
                switch dtype {
                case "F32":
                    values[i] = Float(bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24)
                case "BF16":
                    values[i] = Float(bitPattern: (UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8) << 16)
                default:
                    values[i] = Float(Float16(bitPattern: UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8))
                }
            }
            tensors[name] = Entry(shape: shape, values: values)
        }
        self.tensors = tensors; metadata = meta
    }

    /// Reads a file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.badWeightsFile(file: path, detail: "cannot be read")
        }
        try self.init(bytes: [UInt8](data), file: (path as NSString).lastPathComponent)
    }

    /// The file's bytes (F32, names sorted, header padded with spaces to 8 bytes).
    public func serialized() throws -> [UInt8] {
        var header: [String: Any] = [:], offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            guard let e = tensors[name] else { continue }
            let size = e.values.count * 4
            header[name] = ["dtype": "F32", "shape": e.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var out = [UInt8](); out.reserveCapacity(8 + json.count + offset)
        for i in 0..<8 { out.append(UInt8((json.count >> (8 * i)) & 0xFF)) }
        out += json
        for name in names {
            guard let e = tensors[name] else { continue }
            for v in e.values { let b = v.bitPattern; out += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)] }
        }
        return out
    }

    /// The tensor `name` with exactly `shape`, or a clear error.
    public func tensor(_ name: String, shape: [Int], file: String) throws -> [Float] {
        guard let e = tensors[name] else { throw ModelError.badWeightsFile(file: file, detail: "tensor '\(name)' is missing") }
        guard e.shape == shape else {
            throw ModelError.badWeightsFile(file: file, detail: "tensor '\(name)' has shape \(e.shape), the architecture needs \(shape)")
        }
        return e.values
    }
}
