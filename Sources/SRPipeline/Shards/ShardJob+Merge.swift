import Foundation
import SRMedia

extension ShardJob {
    /// Where each shard stands.
    public enum ShardState: String, Sendable { case done, running, failed, pending }

    /// The state of every shard: done (every item recorded and intact), running (a live task holds
    /// its lock), failed (a task wrote its log and stopped without finishing), pending.
    public static func status(plan: ShardPlan, folder path: String) -> [ShardState] {
        let folder = ShardFolder(path: path, output: plan.output)
        return plan.shards.indices.map { k in
            let items = plan.shards[k]
            let done = plan.kind == .video ? items.allSatisfy { folder.doneSegment($0) != nil }
                                           : items.allSatisfy { folder.doneFile($0) != nil }
            if done { return .done }
            if folder.isRunning(shard: k) { return .running }
            let log = folder.logs + "/shard-\(k).log"
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("upscale: ") { return .failed }
            return .pending
        }
    }

    /// The shards not done, as an error naming them and the command that runs one.
    static func missing(_ states: [ShardState], folder: String) -> PipelineError? {
        let missing = states.indices.filter { states[$0] != .done }
        guard let first = missing.first else { return nil }
        let list = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? ", ..." : "")
        return .invalidOption("'\(folder)': \(missing.count) of \(states.count) shards are not done (\(list)); "
                              + "run them with `upscale run-shard \(folder) --index \(first)`")
    }

    /// Joins a video plan's segments into the output (audited, renamed into place) once every
    /// shard is done, then removes the work folder; otherwise names the missing shards.
    public static func mergeVideo(_ config: VideoJobConfig, plan: ShardPlan, folder path: String, cancel: CancelFlag = CancelFlag(),
                                  notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> VideoJobResult {
        let start = Date()
        guard var manifest = plan.segments, plan.kind == .video else { throw PipelineError.invalidOption("'\(path)' is not a video plan") }
        let folder = ShardFolder(path: path, output: config.output)
        // Each segment is verified once here; the joiner then reads the verified files.
        let records = manifest.segments.map { folder.doneSegment($0.index) }
        guard !records.contains(where: { $0 == nil }) else {
            throw missing(status(plan: plan, folder: path), folder: path)
                ?? PipelineError.invalidOption("'\(path)': a segment changed while merging; run the merge again")
        }
        manifest.done = records.compactMap { $0 }
        let config = try VideoJob.checked(config)
        let scheduler = try VideoScheduler(config: config, cancel: cancel, notes: notes)
        let damaged = try SegmentJoiner(scheduler: scheduler, folder: folder.work, manifest: manifest).run()
        let frames = manifest.done.reduce(0) { $0 + $1.frames }, concealed = manifest.done.reduce(0) { $0 + $1.concealed }
        let result = VideoJobResult(frames: frames, concealed: concealed, seconds: Date().timeIntervalSince(start),
                                    plan: scheduler.plan.summary, inputSize: scheduler.demuxer.videoSize,
                                    outputSize: (scheduler.plan.outputWidth, scheduler.plan.outputHeight),
                                    encoder: scheduler.encoder.name, pixelFormat: scheduler.encoder.formatName, auditNotes: [],
                                    resumedFrames: frames, segments: manifest.segments.count, segmentsReused: manifest.segments.count)
        // On an audit failure the segments stay (the error says why); once the output is in place they go.
        let done = try VideoJob.finish(scheduler, result: result, damaged: damaged || concealed > 0, cleanUp: {})
        folder.remove()
        return done
    }

    /// Finalizes a batch plan once every shard is done: the items in file order (the work folder
    /// is removed); otherwise names the missing shards.
    public static func mergeBatch(plan: ShardPlan, folder path: String) throws -> [BatchItem] {
        guard plan.kind == .batch else { throw PipelineError.invalidOption("'\(path)' is not a batch plan") }
        if let e = missing(status(plan: plan, folder: path), folder: path) { throw e }
        let folder = ShardFolder(path: path, output: plan.output)
        let items = plan.files.indices.compactMap { folder.doneFile($0) }
        for item in items where !FileManager.default.fileExists(atPath: item.output) {
            throw PipelineError.invalidOption("'\(item.output)' (from \(item.file)) is missing; remove its record or plan again")
        }
        folder.remove()
        return items
    }
}
