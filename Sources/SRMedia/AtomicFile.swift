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

    /// Removes temporary files of `path` left by runs that died (kill -9, power loss): those whose
    /// process id is no longer alive. Files of live runs are left alone. Returns the names removed.
    @discardableResult
    public static func removeStale(for path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        return removeStale(in: url.deletingLastPathComponent().path, of: url.lastPathComponent)
    }

    /// `removeStale` for every output in `folder` (or only output `name`).
    @discardableResult
    public static func removeStale(in folder: String, of name: String? = nil) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for file in names where file.hasPrefix(".") {
            guard let mark = file.range(of: ".partial-", options: .backwards),
                  name.map({ file[file.index(after: file.startIndex)..<mark.lowerBound] == $0 }) ?? true,
                  let pid = Int32(file[mark.upperBound...].prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH, unlink(folder + "/" + file) == 0 { removed.append(file) }
        }
        return removed
    }

    /// Moves the finished temporary file `tmp` to `path`. With `replace` false an existing `path`
    /// (one that appeared while the file was being written: another run) is kept, and the result
    /// is moved to `keptPath(for:)` instead, reported by `MediaError.outputAppeared`.
    public static func commit(_ tmp: String, to path: String, replace: Bool) throws {
        if replace {
            guard rename(tmp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(tmp)
                throw MediaError.writeFailed(path: path, reason: reason)
            }
            return
        }
        // link(2) fails with EEXIST instead of replacing: an atomic "create only".
        if link(tmp, path) == 0 { unlink(tmp); return }
        let err = errno
        guard err == EEXIST else {
            unlink(tmp)
            throw MediaError.writeFailed(path: path, reason: String(cString: strerror(err)))
        }
        let kept = keptPath(for: path)
        guard rename(tmp, kept) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw MediaError.writeFailed(path: path, reason: reason)
        }
        throw MediaError.outputAppeared(path: path, keptAs: kept)
    }

    /// Where a result goes when its output appeared meanwhile: `NAME.upscale-PID.EXT`.
    public static func keptPath(for path: String) -> String {
        let ns = path as NSString, ext = ns.pathExtension
        return ns.deletingPathExtension + ".upscale-\(getpid())" + (ext.isEmpty ? "" : "." + ext)
    }

    /// Writes `data` to a temporary file beside `path`, then renames it to `path` (with `replace`
    /// false, an output that appeared meanwhile is kept: see `commit`).
    public static func write(_ data: Data, to path: String, replace: Bool = true) throws {
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
        if let failure {
            unlink(tmp)
            throw MediaError.writeFailed(path: path, reason: failure)
        }
        try commit(tmp, to: path, replace: replace)
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
