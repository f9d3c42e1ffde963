import Foundation
import SRMedia

/// The folder beside an output where a resumable run keeps its segments and manifest:
/// `.NAME.upscale/` for output `NAME`. It holds `manifest.json`, `lock` and one `NNNNN.upseg`
/// packet file per segment; it is removed when the output is complete.
///
/// The lock is an `flock` on `lock`, held for the whole run: a second process on the same output
/// is refused, and the kernel drops the lock when its holder dies (kill -9, power loss).
final class WorkFolder {
    /// The folder's path.
    let path: String
    /// The output it belongs to.
    let output: String
    private var lockFD: Int32 = -1

    /// The work folder of `output` (nothing is created).
    init(output: String) {
        self.output = output
        let url = URL(fileURLWithPath: output)
        path = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).upscale").path
    }

    /// A work folder at `path` (shard runs: `.NAME.upscale-shards/`); nothing is created.
    init(path: String, output: String) {
        self.path = path
        self.output = output
    }

    deinit { unlock() }

    /// `manifest.json`.
    var manifestPath: String { path + "/manifest.json" }
    /// The packet file of segment `index`.
    func segmentPath(_ index: Int) -> String { path + "/" + String(format: "%05d.upseg", index) }
    /// True when the folder exists.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Creates the folder when needed and takes its lock; throws `outputBusy` when another live
    /// process holds it, `workFolder` when it cannot be created (read-only disk, permission).
    func lock() throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno)))
        }
        let fd = open(path + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buf, buf.count)
            close(fd)
            let pid = n > 0 ? Int32(String(decoding: buf.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            throw PipelineError.outputBusy(output: output, pid: pid)
        }
        ftruncate(fd, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, text.count, 0) }
        lockFD = fd
    }

    /// Releases the lock (kept files stay).
    func unlock() {
        guard lockFD >= 0 else { return }
        flock(lockFD, LOCK_UN)
        close(lockFD)
        lockFD = -1
    }

    /// Removes the segment files of `indexes` and any file that is not part of a run.
    func removeSegments(from first: Int, through last: Int) {
        for i in first...max(first, last) { unlink(segmentPath(i)) }
    }

    /// Removes every file and the folder (after the output is complete, or for `--restart`).
    func remove() {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            for n in names where n != "lock" { unlink(path + "/" + n) }
        }
        unlink(path + "/lock")
        unlock()
        rmdir(path)
    }

    /// Removes everything but the lock (for `--restart`, or a manifest that cannot be read).
    func clear() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for n in names where n != "lock" { unlink(path + "/" + n) }
    }
}
