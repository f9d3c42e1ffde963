import Foundation

/// A file of encoded video packets with their timing: one resumable segment's output.
///
/// Layout: the 8 bytes `UPSEG01\n`, then per packet pts, dts, duration (Int64, little endian;
/// `Int64.min` = unknown), a flags word (1 = keyframe) and the payload size (UInt32), then the
/// payload. `PacketFile.Writer` appends packets and `finish()` flushes and fsyncs; the reader
/// verifies the magic and the record framing, and both keep an FNV-1a checksum of every byte.
///
/// Threading: a writer or reader is used by one thread.
public enum PacketFile {
    static let magic = Array("UPSEG01\n".utf8)

    /// What a finished file holds: packets, bytes and checksum (recorded in a manifest).
    public struct Summary: Codable, Sendable, Equatable {
        /// Number of packets.
        public var packets: Int
        /// File size in bytes.
        public var bytes: Int
        /// FNV-1a 64 of the whole file, hex.
        public var checksum: String
    }

    /// Appends packets to a new file; errors (disk full, read-only) name the file.
    public final class Writer {
        /// The file written.
        public let path: String
        private let fd: Int32
        private var buffer: [UInt8] = []
        private var hash = FNV1a()
        private var count = 0, size = 0
        private var closed = false

        /// Creates (truncates) `path`.
        public init(path: String) throws {
            self.path = path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
            buffer = PacketFile.magic
        }

        deinit { if !closed { Foundation.close(fd) } }

        /// Appends one packet.
        public func append(_ p: MediaPacket) throws {
            let payload = p.bytes
            for v in [p.pts ?? .min, p.dts ?? .min, p.duration] { buffer.append(contentsOf: withUnsafeBytes(of: v.littleEndian, Array.init)) }
            buffer.append(contentsOf: withUnsafeBytes(of: UInt32(p.isKey ? 1 : 0).littleEndian, Array.init))
            buffer.append(contentsOf: withUnsafeBytes(of: UInt32(payload.count).littleEndian, Array.init))
            buffer.append(contentsOf: payload)
            count += 1
            if buffer.count >= 1 << 20 { try flush() }
        }

        private func flush() throws {
            hash.add(buffer)
            var done = 0
            while done < buffer.count {
                let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress.map { $0 + done }, buffer.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
                done += n
            }
            size += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }

        /// Writes what is buffered, fsyncs and closes; returns what the file holds.
        public func finish() throws -> Summary {
            try flush()
            guard fsync(fd) == 0 else { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
            closed = true
            guard Foundation.close(fd) == 0 else { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
            return Summary(packets: count, bytes: size, checksum: hash.hex)
        }
    }

    /// What `path` holds, or nil when it is missing, cut short or not a packet file.
    public static func summary(of path: String) -> Summary? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        guard let n = try? records(bytes, path: path, visit: { _ in }) else { return nil }
        var h = FNV1a()
        h.add(bytes)
        return Summary(packets: n, bytes: bytes.count, checksum: h.hex)
    }

    /// Reads every packet of `path` in order, calling `visit` with each.
    public static func read(_ path: String, visit: (MediaPacket) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        _ = try records([UInt8](data), path: path, visit: visit)
    }

    private static func records(_ b: [UInt8], path: String, visit: (MediaPacket) throws -> Void) throws -> Int {
        func bad(_ why: String) -> MediaError { .corrupt(path: path, detail: why) }
        guard b.count >= magic.count, Array(b[0..<magic.count]) == magic else { throw bad("not a segment file") }
        var at = magic.count, n = 0
        func int64() -> Int64 {
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
            at += 8
            return Int64(bitPattern: v)
        }
        func uint32() -> Int {
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(b[at + i]) << (8 * UInt32(i)) }
            at += 4
            return Int(v)
        }
        while at < b.count {
            guard b.count - at >= 32 else { throw bad("cut short in packet \(n + 1)") }
            let pts = int64(), dts = int64(), duration = int64(), flags = uint32(), size = uint32()
            guard b.count - at >= size else { throw bad("cut short in packet \(n + 1)") }
            guard let p = MediaPacket(bytes: Array(b[at..<at + size]), pts: pts == .min ? nil : pts, dts: dts == .min ? nil : dts,
                                      duration: duration, key: flags & 1 != 0) else { throw bad("out of memory") }
            at += size
            n += 1
            try visit(p)
        }
        return n
    }
}

/// 64-bit FNV-1a, for file checksums (not cryptographic: it detects damage, not tampering).
public struct FNV1a: Sendable {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325
    /// A fresh hash.
    public init() {}
    /// Mixes in `bytes`.
    public mutating func add<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    }
    /// The hash as 16 hex digits.
    public var hex: String { String(h, radix: 16).leftPadded(to: 16) }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
