import Foundation
import SRMedia
import SRTensor

/// Typed configuration of `upscale batch INPUTS...`.
public struct BatchJobConfig: Sendable {
    /// Media files to process (see `BatchInputs.expand`).
    public var inputs: [String]
    /// Folder for every output; nil = next to each input.
    public var outputDir: String?
    /// Output name template (see `OutputNamer`).
    public var name = "{stem}_x{scale}.{ext}"
    /// Files processed at once (the cores are divided among them).
    public var jobs = 1
    /// Redo outputs that exist (otherwise they are finished work and skipped).
    public var overwrite = false
    public var model: String?
    public var scale: Int?
    public var width: Int?, height: Int?
    public var tiling = TileOptions()
    public var encoder = EncoderSettings()
    public var faststart = false
    public var strict = false
    /// Videos: resumable segments (see `VideoJobConfig.resume`, `restart`, `segmentSeconds`).
    public var resume = true, restart = false, segmentSeconds = 2.0
    /// Predict each file instead of processing it (`--dry-run`; images are not timed).
    public var dryRun = false

    /// Creates a configuration.
    public init(inputs: [String]) { self.inputs = inputs }
}

/// The outcome of one file of a batch.
public struct BatchItem: Sendable, Codable {
    /// done, skipped or failed; planned in a dry run.
    public enum Status: String, Sendable, Codable { case done, skipped, failed, planned }
    public var file: String
    public var output: String
    public var status: Status
    /// Why it failed (one line).
    public var error: String?
    public var frames: Int
    public var seconds: Double
    public var fps: Double
    /// Size of the output file in bytes (0 when there is none).
    public var outputBytes: Int64
    /// A dry run's predicted seconds (nil otherwise, and for images).
    public var predictedSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case file, output, status, error, frames, seconds, fps
        case outputBytes = "output_bytes", predictedSeconds = "predicted_s"
    }
}

/// Runs many files with one configuration; a failing file never stops the others.
public enum BatchJob {
    /// Processes every input (up to `jobs` at once) and returns one item per input, in input order.
    /// An input that is the output another input of the batch would get (a previous run's result
    /// beside its source) is left out with a note: a batch never upscales its own outputs.
    /// Throws only for problems that concern the whole batch (bad template, clashing names, bad model).
    /// `done` hears each item as it finishes; `cancel` stops starting new files.
    public static func run(_ config: BatchJobConfig, cancel: CancelFlag = CancelFlag(),
                           notes: @escaping @Sendable (String) -> Void = { _ in },
                           done: @escaping @Sendable (BatchItem) -> Void = { _ in }) throws -> [BatchItem] {
        guard !config.inputs.isEmpty else { throw PipelineError.invalidOption("no input files") }
        var config = config
        guard config.jobs >= 1 else { throw PipelineError.invalidOption("--jobs must be at least 1 (got \(config.jobs))") }
        try config.tiling.validate()
        let namer = try OutputNamer(template: config.name)
        if let dir = config.outputDir, !config.dryRun { try FrameFolder.make(dir) }
        // Resolving the model up front checks its name before any file is touched.
        let upscaler = try ScaleStageResolver.resolve(model: config.model, scale: config.scale, chainable: true)
        let scaleText = config.scale.map(String.init) ?? config.height.map { "\($0)p" } ?? config.width.map { "w\($0)" }
            ?? String(upscaler.scale)
        let modelText = config.model ?? upscaler.name
        func output(of input: String) -> String {
            let folder = config.outputDir ?? (input as NSString).deletingLastPathComponent
            return (folder as NSString).appendingPathComponent(namer.name(for: input, scale: scaleText, model: modelText))
        }
        func key(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.path }
        var producedBy: [String: String] = [:]
        for i in config.inputs { producedBy[key(output(of: i))] = i }
        config.inputs = config.inputs.filter { input in
            guard let source = producedBy[key(input)], key(source) != key(input) else { return true }
            notes("\((input as NSString).lastPathComponent): left out, it is the output of \((source as NSString).lastPathComponent)")
            return false
        }
        guard !config.inputs.isEmpty else { throw PipelineError.invalidOption("no input files (every one is another's output)") }
        let outputs = config.inputs.map(output(of:))
        var firstUse: [String: String] = [:]
        for (i, o) in zip(config.inputs, outputs) {
            if key(i) == key(o) {
                throw PipelineError.invalidOption("'\(i)' would be written over itself: change --name or give -o")
            }
            if let other = firstUse[key(o)] {
                throw PipelineError.invalidOption("'\(other)' and '\(i)' would both be written to '\(o)': change --name")
            }
            firstUse[key(o)] = i
        }
        let total = config.tiling.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let jobs = min(config.jobs, config.inputs.count)
        var tiling = config.tiling
        tiling.threads = max(1, total / jobs)
        let items = Slots<BatchItem>(count: config.inputs.count)
        let work = WorkList(Array(config.inputs.indices))
        let perFile = tiling, job = config
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while !cancel.isCancelled, let i = work.next() {
                let item = process(job, input: job.inputs[i], output: outputs[i], tiling: perFile, cancel: cancel, notes: notes)
                items[i] = item
                done(item)
            }
        }
        if cancel.isCancelled { throw PipelineError.interrupted }
        return items.values
    }

    /// One file: skipped when its output exists, else an image or video job.
    static func process(_ config: BatchJobConfig, input: String, output: String, tiling: TileOptions, cancel: CancelFlag,
                        notes: @escaping @Sendable (String) -> Void) -> BatchItem {
        var item = BatchItem(file: input, output: output, status: .done, error: nil, frames: 0, seconds: 0, fps: 0, outputBytes: 0)
        if !config.overwrite && FileManager.default.fileExists(atPath: output) {
            item.status = .skipped
            item.outputBytes = fileSize(output)
            return item
        }
        let prefixed: @Sendable (String) -> Void = { notes("\((input as NSString).lastPathComponent): \($0)") }
        do {
            if ImageFile.isImagePath(input), config.dryRun {
                item.status = .planned; item.frames = 1
                return item
            } else if ImageFile.isImagePath(input) {
                var c = ImageJobConfig(input: input, output: output, model: config.model, scale: config.scale,
                                       overwrite: config.overwrite, tiling: tiling)
                c.width = config.width; c.height = config.height
                let r = try ImageJob.run(c, notes: prefixed)
                item.frames = 1; item.seconds = r.seconds
            } else if config.dryRun {
                var c = VideoJobConfig(input: input, output: output)
                c.model = config.model; c.scale = config.scale; c.width = config.width; c.height = config.height
                c.tiling = tiling; c.encoder = config.encoder; c.resume = config.resume; c.restart = config.restart
                let e = try RunEstimator.estimate(c, notes: prefixed)
                prefixed(e.line)
                item.status = .planned; item.frames = e.framesToDo ?? 0; item.predictedSeconds = e.seconds
                return item
            } else {
                var c = VideoJobConfig(input: input, output: output)
                c.model = config.model; c.scale = config.scale; c.width = config.width; c.height = config.height
                c.overwrite = config.overwrite; c.tiling = tiling; c.encoder = config.encoder
                c.faststart = config.faststart; c.strict = config.strict; c.progress = .none
                c.resume = config.resume; c.restart = config.restart; c.segmentSeconds = config.segmentSeconds
                let r = try VideoJob.run(c, cancel: cancel, notes: prefixed)
                item.frames = r.frames; item.seconds = r.seconds
            }
            item.fps = item.seconds > 0 ? Double(item.frames) / item.seconds : 0
            item.outputBytes = fileSize(output)
        } catch {
            item.status = .failed
            item.error = String(describing: error)
        }
        return item
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Writes `items` as JSON (`{"files": [...], "done": n, "skipped": n, "failed": n}`), atomically.
    public static func writeReport(_ items: [BatchItem], to path: String) throws {
        struct Report: Codable { var files: [BatchItem]; var done: Int; var skipped: Int; var failed: Int }
        let report = Report(files: items, done: items.filter { $0.status == .done }.count,
                            skipped: items.filter { $0.status == .skipped }.count,
                            failed: items.filter { $0.status == .failed }.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(report), to: path)
    }
}

/// Results written by concurrent workers, one slot each, behind a lock.
final class Slots<T: Sendable>: Sendable {
    private let slots: Locked<[T?]>

    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }

    subscript(i: Int) -> T? {
        get { slots.withLock { $0[i] } }
        set { slots.withLock { $0[i] = newValue } }
    }

    /// The filled slots, in order.
    var values: [T] { slots.withLock { $0.compactMap { $0 } } }
}
