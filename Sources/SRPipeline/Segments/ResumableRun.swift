import Foundation
import SRMedia

/// A video run in resumable segments (the default): plan the segments, find and verify what an
/// earlier run of the same command finished, upscale the rest, join.
///
/// Kept across failures: the work folder with every finished segment (an interrupted or failed
/// run says so, and the same command resumes). Removed: a partial segment (redone), and the whole
/// folder once the output is committed.
struct ResumableRun {
    let config: VideoJobConfig
    let scheduler: VideoScheduler
    let notes: @Sendable (String) -> Void
    let folder: WorkFolder

    init(config: VideoJobConfig, scheduler: VideoScheduler, notes: @escaping @Sendable (String) -> Void) {
        self.config = config; self.scheduler = scheduler; self.notes = notes
        folder = WorkFolder(output: config.output)
    }

    /// What the run did, and whether the input was damaged (for the audit).
    struct Outcome { var result: VideoJobResult; var damaged: Bool }

    /// Runs to a closed temporary output (the caller audits and commits it, then calls `cleanUp`).
    func run() throws -> Outcome {
        let start = Date()
        try folder.lock()
        let manifest: SegmentManifest
        do { manifest = try prepareManifest() } catch {
            if (try? SegmentManifest.load(folder.manifestPath))?.done.isEmpty ?? true { folder.remove() }
            throw error
        }
        let total = manifest.segments.count
        let reused = manifest.done.count
        if reused > 0 {
            let frames = manifest.done.reduce(0) { $0 + $1.frames }
            notes("resuming: \(reused) of \(total) segments (\(frames) frames) already done in '\(folder.path)'")
        }
        let writer = SegmentWriter(folder: folder, manifest: manifest, first: scheduler.encoder, makeEncoder: scheduler.makeEncoder,
                                   concealedSoFar: { [scheduler] in scheduler.decoder.concealed })
        var damaged = false
        do {
            if reused < total {
                scheduler.segments = writer
                scheduler.resumeFrom = reused > 0 ? manifest.segments[reused] : nil
                _ = try scheduler.run()
            } else {
                let frames = manifest.done.reduce(0) { $0 + $1.frames }
                ProgressReporter(mode: config.progress, total: frames, resumed: frames).finish(done: frames)
            }
            damaged = try SegmentJoiner(scheduler: scheduler, folder: folder, manifest: writer.manifest).run()
        } catch {
            scheduler.muxer.abort()
            let done = writer.manifest.done.count
            guard done > 0 else {
                folder.remove()  // nothing finished: leave no trace, as a single pass does
                throw error
            }
            let cause: String, code: Int32
            if let e = error as? PipelineError, case .interrupted = e { (cause, code) = ("interrupted", 130) }
            else if let e = error as? UserFacingError { (cause, code) = (e.description, e.exitCode) }
            else { (cause, code) = ("\(error)", 2) }
            throw PipelineError.segmentsKept(cause: cause, code: code, folder: folder.path, done: done, total: total)
        }
        if damaged { notes("warning: '\(config.input)' ends early (truncated?): processed what decodes") }
        let final = writer.manifest
        let frames = final.done.reduce(0) { $0 + $1.frames }, concealed = final.done.reduce(0) { $0 + $1.concealed }
        if scheduler.muxer.skippedPackets > 0 {
            notes("warning: \(scheduler.muxer.skippedPackets) damaged packet\(scheduler.muxer.skippedPackets == 1 ? "" : "s") of copied streams skipped")
        }
        let result = VideoJobResult(frames: frames, concealed: concealed, seconds: Date().timeIntervalSince(start),
                                    plan: scheduler.plan.summary, inputSize: scheduler.demuxer.videoSize,
                                    outputSize: (scheduler.plan.outputWidth, scheduler.plan.outputHeight),
                                    encoder: scheduler.encoder.name, pixelFormat: scheduler.encoder.formatName, auditNotes: [],
                                    resumedFrames: manifest.done.reduce(0) { $0 + $1.frames },
                                    segments: total, segmentsReused: reused,
                                    reusedFrames: scheduler.reuse.reusedFrames, tilesRecomputed: scheduler.reuse.recomputedPercent,
                                    reuseSummary: scheduler.reuse.report)
        return Outcome(result: result, damaged: damaged || concealed > 0 || scheduler.muxer.skippedPackets > 0)
    }

    /// Removes the work folder (the output is in place).
    func cleanUp() { folder.remove() }

    /// This run's manifest with the earlier run's finished segments that are intact.
    private func prepareManifest() throws -> SegmentManifest {
        let (timings, timeBase) = try SegmentPlan.scan(config.input)
        let segments = SegmentPlan.cut(timings, timeBase: timeBase, minimumSeconds: config.segmentSeconds)
        var fresh = SegmentManifest(input: try InputIdentity.of(config.input, streams: scheduler.demuxer.streams),
                                    settings: settings, segments: segments)
        var old: SegmentManifest?
        if config.restart {
            folder.clear()
        } else {
            do { old = try SegmentManifest.load(folder.manifestPath) } catch {
                notes("note: '\(folder.manifestPath)' is damaged; starting over")
                folder.clear()
            }
        }
        if let old {
            if let why = old.mismatch(with: fresh) {
                throw PipelineError.resumeMismatch(output: config.output, folder: folder.path, why: why)
            }
            for d in old.done {
                guard PacketFile.summary(of: folder.segmentPath(d.index)) == d.file else {
                    notes("note: segment \(d.index + 1) of \(segments.count) in '\(folder.path)' is damaged; redoing it")
                    break
                }
                fresh.done.append(d)
            }
        }
        if fresh.done.count < segments.count { folder.removeSegments(from: fresh.done.count, through: segments.count - 1) }
        try fresh.save(folder.manifestPath)
        return fresh
    }

    /// Every setting that changes the output, by name.
    var settings: [String: String] { RunSettings.video(config, plan: scheduler.plan) }
}
