import Foundation

/// `plan.json` of a shard work folder: what `upscale plan` was asked and how the work is cut.
///
/// A shard is the unit a cluster task runs: for a video, a contiguous run of resumable segments
/// (each cut at a closed-GOP keyframe); for a batch, a contiguous run of its files. The plan holds
/// the command's arguments (so every task builds the same typed configuration), the folder they
/// are relative to, and, for a video, the input's identity and output settings, which every task
/// checks before it works. The file is written once, atomically, and never changed.
public struct ShardPlan: Codable, Sendable, Equatable {
    /// What the shards are.
    public enum Kind: String, Codable, Sendable { case video, batch }

    /// Format version of this file.
    public var version = 1
    public var kind: Kind
    /// The `upscale` (video) or `upscale batch` arguments the configuration is built from.
    public var arguments: [String]
    /// The working folder the arguments' relative paths are relative to.
    public var directory: String
    /// The output file (video) or folder (batch; empty: beside each input).
    public var output: String
    /// Video: input identity, settings and segments (no segment done). Nil for a batch.
    public var segments: SegmentManifest?
    /// Batch: the files, in order. Empty for a video.
    public var files: [String] = []
    /// Batch: every setting that changes an output, by name (a video's are in `segments`).
    public var settings: [String: String] = [:]
    /// Per shard, the segment indexes (video) or file indexes (batch) it covers, in order.
    public var shards: [[Int]]

    /// Number of shards.
    public var count: Int { shards.count }

    /// Cuts `items` consecutive items into at most `wanted` contiguous shards of near-equal size
    /// (nil: one shard per item).
    public static func cut(_ items: Int, into wanted: Int?) -> [[Int]] {
        let n = max(1, min(items, wanted ?? items))
        guard items > 0 else { return [] }
        return (0..<n).map { k in Array((k * items / n)..<((k + 1) * items / n)) }
    }

    /// Reads `WORKDIR/plan.json`, or says that `folder` is not a shard work folder.
    public static func load(_ folder: String) throws -> ShardPlan {
        let path = (folder as NSString).appendingPathComponent("plan.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.invalidOption("'\(folder)' is not a shard work folder (no plan.json; make one with `upscale plan`)")
        }
        do {
            let plan = try JSONDecoder().decode(ShardPlan.self, from: data)
            guard plan.version == 1 else { throw PipelineError.invalidOption("'\(path)' was made by another version of upscale") }
            // Every shard a non-empty run of consecutive items that exist (a hand-edited file must not crash a task).
            let items = plan.kind == .video ? (plan.segments?.segments.count ?? 0) : plan.files.count
            guard !plan.shards.isEmpty, plan.shards.allSatisfy({ s in
                !s.isEmpty && s.allSatisfy { (0..<items).contains($0) } && zip(s, s.dropFirst()).allSatisfy { $1 == $0 + 1 }
            }) else {
                throw PipelineError.invalidOption("'\(path)' is damaged (its shards do not match its \(plan.kind == .video ? "segments" : "files"))")
            }
            return plan
        } catch let e as PipelineError {
            throw e
        } catch {
            throw PipelineError.invalidOption("'\(path)' is damaged (\(error.localizedDescription))")
        }
    }

    /// Writes `WORKDIR/plan.json` (temporary file, fsync, rename).
    func save(_ folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = (folder as NSString).appendingPathComponent("plan.json")
        try FileSync.write(try encoder.encode(self), to: path + ".tmp")
        guard rename(path + ".tmp", path) == 0 else {
            throw PipelineError.workFolder(path: path, reason: String(cString: strerror(errno)))
        }
        FileSync.syncFolder(of: path)
    }
}

/// The default work folder of a plan: `.NAME.upscale-shards/` beside a video output, or
/// `OUTDIR/.upscale-shards/` for a batch (`.upscale-shards/` here without `-o`).
public enum ShardFolderName {
    /// The folder for a video written to `output`.
    public static func video(output: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).upscale-shards").path
    }

    /// The folder for a batch written into `outputDir` (nil: beside each input).
    public static func batch(outputDir: String?) -> String {
        URL(fileURLWithPath: outputDir ?? ".").appendingPathComponent(".upscale-shards").standardizedFileURL.path
    }
}
