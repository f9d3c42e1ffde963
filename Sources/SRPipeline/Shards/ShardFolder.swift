import Foundation
import SRMedia

/// A shard work folder on a filesystem every node shares (NFS, Lustre, or a local disk):
///
///     plan.json                 the plan (`ShardPlan`), written once
///     NNNNN.upseg               video: one packet file per finished segment
///     records/seg-NNNNN.json    video: segment NNNNN is done (frames, file checksum)
///     records/file-NNNNN.json   batch: file NNNNN is done (its `BatchItem`)
///     locks/shard-K.lock        held (POSIX lock) by the task running shard K
///     logs/                     the Slurm tasks' output
///
/// No shared file is ever read, changed and written back: each finished segment or file gets a
/// record of its own, written under a temporary name and renamed (atomic on POSIX filesystems,
/// NFS and Lustre alike), so shards finishing at the same moment on several nodes cannot lose an
/// update. A record is written only after its data file is complete and synced, and a segment
/// counts as done only while its file still matches the record. The shard lock is `lockf`
/// (fcntl record locks, which NFS and Lustre honour across nodes): a requeued task never works
/// beside a still-living earlier one; the kernel drops it when its holder dies.
public final class ShardFolder: @unchecked Sendable {
    /// The folder's path.
    public let path: String
    let work: WorkFolder
    private var lockFD: Int32 = -1

    /// The folder at `path` (nothing is created) for output `output`.
    public init(path: String, output: String) {
        self.path = path
        work = WorkFolder(path: path, output: output)
    }

    deinit { if lockFD >= 0 { close(lockFD) } }

    var records: String { path + "/records" }
    func segmentRecord(_ i: Int) -> String { records + String(format: "/seg-%05d.json", i) }
    func fileRecord(_ i: Int) -> String { records + String(format: "/file-%05d.json", i) }
    func lockPath(_ shard: Int) -> String { path + "/locks/shard-\(shard).lock" }
    /// Where the Slurm tasks write their output.
    public var logs: String { path + "/logs" }

    /// Creates the folder and its subfolders (for `upscale plan`).
    func create() throws {
        for p in [path, records, path + "/locks", logs] where mkdir(p, 0o755) != 0 && errno != EEXIST {
            throw PipelineError.workFolder(path: p, reason: String(cString: strerror(errno)))
        }
    }

    /// Takes shard `k`'s lock, waiting up to `wait` seconds while another task holds it (a
    /// requeued task starting while the one it replaces is still stopping, or an NFS lock of a
    /// dead node until its lease ends); then says which task holds it.
    func lock(shard k: Int, wait: Double = 120, notes: (String) -> Void = { _ in }) throws {
        let fd = open(lockPath(k), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError.workFolder(path: lockPath(k), reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(wait)
        var told = false
        while lockf(fd, F_TLOCK, 0) != 0 {
            var buf = [UInt8](repeating: 0, count: 128)
            let n = pread(fd, &buf, buf.count, 0)
            let holder = n > 0 ? String(decoding: buf.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            guard Date() < deadline else {
                close(fd)
                throw PipelineError.invalidOption("shard \(k) of '\(path)' is being run by another task (\(holder)); wait for it or stop it")
            }
            if !told { notes("shard \(k) is held by another task (\(holder)); waiting up to \(Int(wait)) s for it to stop"); told = true }
            Thread.sleep(forTimeInterval: 0.5)
        }
        ftruncate(fd, 0)
        let text = Array("\(ProcessInfo.processInfo.hostName) \(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, text.count, 0) }
        lockFD = fd
    }

    /// True when a live task holds shard `k`'s lock (another process than this one).
    func isRunning(shard k: Int) -> Bool {
        let fd = open(lockPath(k), O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return lockf(fd, F_TEST, 0) != 0
    }

    /// Writes a record atomically (unique temporary name, fsync, rename, fsync of the folder).
    func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let tmp = path + ".tmp-\(ProcessInfo.processInfo.hostName)-\(getpid())"
        try FileSync.write(try encoder.encode(value), to: tmp)
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno)))
        }
        FileSync.syncFolder(of: path)
    }

    /// Segment `i`'s record while its packet file still matches it; nil otherwise.
    func doneSegment(_ i: Int) -> SegmentManifest.DoneSegment? {
        guard let data = FileManager.default.contents(atPath: segmentRecord(i)),
              let d = try? JSONDecoder().decode(SegmentManifest.DoneSegment.self, from: data), d.index == i,
              PacketFile.summary(of: work.segmentPath(i)) == d.file else { return nil }
        return d
    }

    /// File `i`'s record (a batch), or nil.
    func doneFile(_ i: Int) -> BatchItem? {
        guard let data = FileManager.default.contents(atPath: fileRecord(i)) else { return nil }
        return try? JSONDecoder().decode(BatchItem.self, from: data)
    }

    /// Removes the folder and everything in it (after the merge).
    func remove() {
        for sub in [records, path + "/locks", logs] {
            for n in (try? FileManager.default.contentsOfDirectory(atPath: sub)) ?? [] { unlink(sub + "/" + n) }
            rmdir(sub)
        }
        work.remove()
    }
}
