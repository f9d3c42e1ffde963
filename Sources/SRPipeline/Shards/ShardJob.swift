import Foundation
import SRMedia

/// The shard contract (engine-neutral: Slurm arrays, Kubernetes Indexed Jobs, HTCondor or a
/// shell loop can drive it): `plan` writes a work folder and says how many shards there are;
/// `runShard` does shard K idempotently (done work is kept, a rerun finishes or does nothing);
/// `merge` joins and finalizes once every shard is done and otherwise names the missing ones.
///
/// Threading: each call runs on the calling thread (a video shard uses the video pipeline's
/// threads). Several processes, on several nodes, may run different shards of one folder at once.
public enum ShardJob {
    /// What `runShard` did.
    public struct ShardResult: Sendable {
        /// Segments (video) or files (batch) this shard covers, how many were already done, frames computed.
        public var items: Int, alreadyDone: Int, frames: Int
        public var seconds: Double
    }

    /// Plans a video: its resumable segments cut into at most `shards` shards (nil: one per segment).
    /// The whole pipeline is opened once (first frame decoded, encoder opened), so a setting the
    /// encoder refuses fails here, at planning, not later in every task on every node.
    public static func planVideo(_ config: VideoJobConfig, arguments: [String], folder path: String, shards: Int?,
                                 write: Bool = true, notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> ShardPlan {
        let config = try VideoJob.checked(config)
        let scheduler = try VideoScheduler(config: config, cancel: CancelFlag(), notes: notes)
        defer { scheduler.muxer.abort() }
        let (timings, timeBase) = try SegmentPlan.scan(config.input)
        let segments = SegmentPlan.cut(timings, timeBase: timeBase, minimumSeconds: config.segmentSeconds)
        guard !segments.isEmpty else { throw PipelineError.invalidOption("'\(config.input)' has no video frames to plan") }
        let manifest = SegmentManifest(input: try InputIdentity.of(config.input, streams: scheduler.demuxer.streams),
                                       settings: RunSettings.video(config, plan: scheduler.plan),
                                       segments: segments)
        let plan = ShardPlan(kind: .video, arguments: arguments, directory: FileManager.default.currentDirectoryPath,
                             output: config.output, segments: manifest, shards: ShardPlan.cut(segments.count, into: shards))
        if write { try save(plan, to: path) }
        return plan
    }

    /// Plans a batch: its files cut into at most `shards` shards (nil: one per file).
    public static func planBatch(_ config: BatchJobConfig, arguments: [String], folder path: String, shards: Int?,
                                 write: Bool = true) throws -> ShardPlan {
        guard !config.inputs.isEmpty else { throw PipelineError.invalidOption("no input files") }
        let plan = ShardPlan(kind: .batch, arguments: arguments, directory: FileManager.default.currentDirectoryPath,
                             output: config.outputDir ?? "", files: config.inputs, settings: try batchSettings(config),
                             shards: ShardPlan.cut(config.inputs.count, into: shards))
        if write {
            if let dir = config.outputDir { try FrameFolder.make(dir) }
            try save(plan, to: path)
        }
        return plan
    }

    private static func save(_ plan: ShardPlan, to path: String) throws {
        if let old = try? ShardPlan.load(path) {
            guard old == plan else {
                throw PipelineError.invalidOption("'\(path)' holds another plan (other input, settings or shards); remove it to plan again")
            }
            return  // the same plan again: keep what is done
        }
        let folder = ShardFolder(path: path, output: plan.output)
        try folder.create()
        try plan.save(path)
    }

    /// Runs shard `k` of a video plan with `config` (built from the plan's arguments).
    public static func runVideoShard(_ config: VideoJobConfig, plan: ShardPlan, folder path: String, index k: Int,
                                     cancel: CancelFlag = CancelFlag(),
                                     notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> ShardResult {
        let start = Date()
        guard let planned = plan.segments, plan.kind == .video else { throw PipelineError.invalidOption("'\(path)' is not a video plan") }
        let mine = try shard(k, of: plan, folder: path)
        let folder = ShardFolder(path: path, output: config.output)
        try folder.lock(shard: k, notes: notes)
        let done = mine.prefix { folder.doneSegment($0) != nil }
        guard done.count < mine.count, let first = mine.dropFirst(done.count).first, let last = mine.last else {
            notes("shard \(k) of '\(path)' is already done")
            return ShardResult(items: mine.count, alreadyDone: mine.count, frames: 0, seconds: 0)
        }
        if !done.isEmpty { notes("resuming shard \(k): \(done.count) of \(mine.count) segments already done") }
        let config = try VideoJob.checked(config)
        let scheduler = try VideoScheduler(config: config, cancel: cancel, notes: notes)
        defer { scheduler.muxer.abort() }  // a shard writes segments only; the merge writes the output
        let fresh = SegmentManifest(input: try InputIdentity.of(config.input, streams: scheduler.demuxer.streams),
                                    settings: RunSettings.video(config, plan: scheduler.plan),
                                    segments: planned.segments)
        if let why = planned.mismatch(with: fresh) {
            throw PipelineError.resumeMismatch(output: config.output, folder: path, why: why)
        }
        let resumed = done.reduce(0) { $0 + planned.segments[$1].frames }
        let writer = SegmentWriter(folder: folder.work, manifest: planned, first: scheduler.encoder, makeEncoder: scheduler.makeEncoder,
                                   concealedSoFar: { [scheduler] in scheduler.decoder.concealed }, only: first..<(last + 1),
                                   resumed: resumed, record: { try folder.write($0, to: folder.segmentRecord($0.index)) })
        scheduler.segments = writer
        scheduler.resumeFrom = first > 0 ? planned.segments[first] : nil
        scheduler.stopBefore = planned.segments[last].endPTS
        let r = try scheduler.run()
        return ShardResult(items: mine.count, alreadyDone: done.count, frames: r.frames, seconds: Date().timeIntervalSince(start))
    }

    /// Runs shard `k` of a batch plan with `config` (built from the plan's arguments).
    public static func runBatchShard(_ config: BatchJobConfig, plan: ShardPlan, folder path: String, index k: Int,
                                     cancel: CancelFlag = CancelFlag(),
                                     notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> ShardResult {
        let start = Date()
        guard plan.kind == .batch else { throw PipelineError.invalidOption("'\(path)' is not a batch plan") }
        let mine = try shard(k, of: plan, folder: path)
        let folder = ShardFolder(path: path, output: plan.output)
        try folder.lock(shard: k, notes: notes)
        let now = try batchSettings(config)
        for key in Set(now.keys).union(plan.settings.keys).sorted() where now[key] != plan.settings[key] {
            throw PipelineError.resumeMismatch(output: plan.output.isEmpty ? plan.files[mine.first ?? 0] : plan.output, folder: path,
                                               why: "the setting '\(key)' changed (\(plan.settings[key] ?? "unset") -> \(now[key] ?? "unset"))")
        }
        let todo = mine.filter { folder.doneFile($0) == nil }
        guard !todo.isEmpty else {
            notes("shard \(k) of '\(path)' is already done")
            return ShardResult(items: mine.count, alreadyDone: mine.count, frames: 0, seconds: 0)
        }
        var job = config
        job.inputs = todo.map { plan.files[$0] }
        job.jobs = 1
        let items = try BatchJob.run(job, cancel: cancel, notes: notes)
        var failed: [String] = []
        for (i, item) in zip(todo, items) {
            if item.status == .failed { failed.append("\(item.file): \(item.error ?? "failed")"); continue }
            try folder.write(item, to: folder.fileRecord(i))
        }
        if let first = failed.first {
            throw PipelineError.invalidOption("shard \(k): \(failed.count) file\(failed.count == 1 ? "" : "s") failed (\(first))")
        }
        return ShardResult(items: mine.count, alreadyDone: mine.count - todo.count, frames: items.reduce(0) { $0 + $1.frames },
                           seconds: Date().timeIntervalSince(start))
    }

    /// Every setting of a batch that changes an output (the model by its files), by name.
    static func batchSettings(_ c: BatchJobConfig) throws -> [String: String] {
        let stage = try ScaleStageResolver.resolve(model: c.model, scale: c.scale, chainable: true)  // a bad model fails here
        var s = RunSettings.encoder(c.encoder)
        s.merge(["model": stage.identity, "scale": c.scale.map(String.init) ?? "-",
                 "size": "\(c.width.map(String.init) ?? "-")x\(c.height.map(String.init) ?? "-")", "name": c.name,
                 "output-dir": c.outputDir ?? "-", "faststart": String(c.faststart), "strict": String(c.strict),
                 "segment-seconds": String(c.segmentSeconds), "tiling": RunSettings.tiling(c.tiling)]) { $1 }
        return s
    }

    private static func shard(_ k: Int, of plan: ShardPlan, folder: String) throws -> [Int] {
        guard plan.shards.indices.contains(k) else {
            throw PipelineError.invalidOption("--index \(k) is out of range: '\(folder)' has shards 0 to \(plan.count - 1)")
        }
        return plan.shards[k]
    }
}
