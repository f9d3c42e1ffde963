import Foundation

/// A cursor over an ncnn `.bin` weight file.
///
/// Layers read their weights in file order. "Tagged" reads (convolution, deconvolution and
/// inner-product weights) start with a 4-byte flag: `0x01306B47` fp16, `0x000D4B38` int8,
/// `0x0002C056` fp32 with extra scaling, all zero bytes plain fp32, anything else a 256-entry
/// float table followed by one uint8 index per value. Raw reads (biases, PReLU slopes, Scale data)
/// are plain fp32. Every multi-byte value is little-endian. Used during loading only.
public final class NCNNModelBin {
    /// File name used in messages.
    public let file: String
    private let bytes: [UInt8]
    /// Read position in bytes.
    public private(set) var offset = 0
    /// Name and type of the layer being loaded, for messages.
    public var layerName = "", layerType = ""

    /// Wraps bytes; `file` names the source in error messages.
    public init(bytes: [UInt8], file: String = "model.bin") {
        self.bytes = bytes; self.file = file
    }

    /// Reads the whole file at `path`.
    public convenience init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path)
                                        ? "permission denied" : "no such file")
        }
        self.init(bytes: [UInt8](data), file: (path as NSString).lastPathComponent)
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Sets the layer named in "data ends inside layer ..." errors.
    public func begin(layer name: String, type: String) {
        layerName = name; layerType = type
    }

    private func need(_ n: Int) throws {
        if n > remaining {
            throw ModelError.truncatedWeights(file: file, layer: layerName, type: layerType, missingBytes: n - remaining)
        }
    }

    private func u32(at o: Int) -> UInt32 {
        UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
    }

    /// Reads `count` plain little-endian fp32 values (ncnn `load(w, 1)`).
    public func readRaw(count: Int) throws -> [Float] {
        try need(count * 4)
        var out = [Float](repeating: 0, count: count)
        let o = offset
        for i in 0..<count { out[i] = Float(bitPattern: u32(at: o + 4 * i)) }
        offset += count * 4
        return out
    }

    /// Reads `count` values stored with a leading type flag (ncnn `load(w, 0)`), converted to fp32.
    public func readTagged(count: Int) throws -> [Float] {
        try need(4)
        let flagBytes = bytes[offset..<(offset + 4)]
        let tag = u32(at: offset)
        switch tag {
        case 0x0130_6B47:  // fp16, padded to 4 bytes
            let size = (count * 2 + 3) & ~3
            try need(4 + size)
            let o = offset + 4
            var out = [Float](repeating: 0, count: count)
            for i in 0..<count {
                out[i] = Float(Float16(bitPattern: UInt16(bytes[o + 2 * i]) | UInt16(bytes[o + 2 * i + 1]) << 8))
            }
            offset += 4 + size
            return out
        case 0x000D_4B38:
            throw ModelError.unsupportedValue(file: file, layer: layerName, type: layerType,
                                              detail: "int8 weights are not supported")
        case 0x0002_C056:
            offset += 4
            do { return try readRaw(count: count) } catch { offset -= 4; throw error }
        default:
            if flagBytes.allSatisfy({ $0 == 0 }) {
                offset += 4
                do { return try readRaw(count: count) } catch { offset -= 4; throw error }
            }
            // Quantized: 256-float table, then one index byte per value padded to 4 bytes.
            let size = (count + 3) & ~3
            try need(4 + 1024 + size)
            var table = [Float](repeating: 0, count: 256)
            for i in 0..<256 { table[i] = Float(bitPattern: u32(at: offset + 4 + 4 * i)) }
            let o = offset + 4 + 1024
            var out = [Float](repeating: 0, count: count)
            for i in 0..<count { out[i] = table[Int(bytes[o + i])] }
            offset += 4 + 1024 + size
            return out
        }
    }
}
