import Foundation
import SRMedia

/// `manifest.json` of a resumable video run: what was asked, the segment list, and the segments
/// finished so far. It is rewritten atomically (temporary file, fsync, rename, fsync of the folder)
/// after each segment, so that after a kill or a power loss it names only complete segment files.
public struct SegmentManifest: Codable, Sendable, Equatable {
    /// Format version of this file.
    public var version = 1
    /// The input the run was made from.
    public var input: InputIdentity
    /// Every setting that changes the output, as `name: value` (model and its files, size, encoder, tiling).
    public var settings: [String: String]
    /// The segments, in order.
    public var segments: [Segment]
    /// Finished segments, in order (always a prefix of `segments`).
    public var done: [DoneSegment] = []

    /// One finished segment: what its file holds and what the run saw.
    public struct DoneSegment: Codable, Sendable, Equatable {
        /// Segment index.
        public var index: Int
        /// Frames encoded.
        public var frames: Int
        /// Frames concealed (repeated) because the input was damaged.
        public var concealed: Int
        /// Packets, bytes and checksum of the segment file.
        public var file: PacketFile.Summary
        /// FNV-1a of the encoder's codec headers (all segments must share them).
        public var headers: String
    }

    /// Reads `path`; nil when there is none, a decoding error when it is damaged.
    static func load(_ path: String) throws -> SegmentManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try JSONDecoder().decode(SegmentManifest.self, from: data)
    }

    /// Writes the manifest to `path` so that a reader sees the old or the new file, never a mix.
    func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let tmp = path + ".tmp"
        try FileSync.write(data, to: tmp)
        guard rename(tmp, path) == 0 else { throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno))) }
        FileSync.syncFolder(of: path)
    }

    /// Why this manifest cannot be resumed with `other` (the current run's), or nil when it can.
    func mismatch(with other: SegmentManifest) -> String? {
        if version != other.version { return "it was made by another version of upscale" }
        if let why = input.difference(from: other.input) { return "the input changed (\(why))" }
        for key in Set(settings.keys).union(other.settings.keys).sorted() where settings[key] != other.settings[key] {
            return "the setting '\(key)' changed (\(settings[key] ?? "unset") -> \(other.settings[key] ?? "unset"))"
        }
        if segments != other.segments { return "the input's segments differ" }
        return nil
    }
}

/// What identifies an input file without reading all of it: size, modification time, a hash of
/// its first and last MiB, and its stream layout.
public struct InputIdentity: Codable, Sendable, Equatable {
    public var size: Int
    public var modified: Double
    public var head: String, tail: String
    public var streams: String

    /// The identity of `path` (whose streams are `streams`).
    static func of(_ path: String, streams: [StreamInfo]) throws -> InputIdentity {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path), let size = (a[.size] as? NSNumber)?.intValue,
              let h = FileHandle(forReadingAtPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? h.close() }
        let mib = 1 << 20
        var head = FNV1a(), tail = FNV1a()
        head.add(h.readData(ofLength: mib))
        h.seek(toFileOffset: UInt64(max(0, size - mib)))
        tail.add(h.readData(ofLength: mib))
        let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let layout = streams.map { "\($0.index):\($0.kind):\($0.codecName)" }.joined(separator: ",")
        return InputIdentity(size: size, modified: modified, head: head.hex, tail: tail.hex, streams: layout)
    }

    /// The first difference to `other`, in words, or nil.
    func difference(from other: InputIdentity) -> String? {
        if size != other.size { return "size \(size) -> \(other.size) bytes" }
        if head != other.head || tail != other.tail { return "its content differs" }
        if streams != other.streams { return "its streams differ" }
        if modified != other.modified { return "modified since" }
        return nil
    }
}

/// Durable writes: data that must survive a power loss once the call returns.
enum FileSync {
    /// Writes `data` to `path` and fsyncs it.
    static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var done = 0
        while done < data.count {
            let n = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress.map { $0 + done }, data.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno))) }
            done += n
        }
        guard fsync(fd) == 0 else { throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Fsyncs the folder holding `path` (makes a rename in it durable).
    static func syncFolder(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
