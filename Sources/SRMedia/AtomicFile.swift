import Foundation
import SRTensor

/// Writes files so that the final path never holds a partial file.
public enum AtomicFile {
    /// The temporary name used while writing `path`: a hidden file in the same folder.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Writes `data` to a temporary file beside `path`, then renames it to `path`.
    public static func write(_ data: Data, to path: String) throws {
        let tmp = temporaryPath(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count, let base = raw.baseAddress {
                let n = Foundation.write(fd, base + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                off += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(tmp, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(tmp)
            throw MediaError.writeFailed(path: path, reason: failure)
        }
    }
}

/// Temporary output files being written, so that an interrupt can remove them before exiting.
/// Thread safety: any thread (a lock guards the set).
public enum TemporaryFiles {
    private static let paths = Locked(Set<String>())

    /// Remembers `path` until `forget`.
    public static func register(_ path: String) { paths.withLock { _ = $0.insert(path) } }
    /// Stops remembering `path` (written or removed).
    public static func forget(_ path: String) { paths.withLock { _ = $0.remove(path) } }
    /// Removes every remembered file (used on a second interrupt, just before exiting).
    public static func removeAll() {
        let all = paths.withLock { p in defer { p.removeAll() }; return p }
        for p in all { unlink(p) }
    }
}
