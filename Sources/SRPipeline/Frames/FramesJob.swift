import Foundation
import SRMedia
import SRTensor

/// Typed configuration of `upscale frames IN_DIR -o OUT` (a folder of images, or a video file).
public struct FramesJobConfig: Sendable {
    /// The folder of input frames.
    public var inputDir: String
    /// A folder for the upscaled frames, or a video file (mp4, mkv, mov, webm) to encode them into.
    public var output: String
    /// Model, family or classical filter; nil = the default.
    public var model: String?
    /// Integer enlargement; exclusive with `width`/`height`.
    public var scale: Int?
    /// Exact output width and/or height.
    public var width: Int?, height: Int?
    /// Output image extension (png, jpg, webp, tiff, bmp); nil keeps each input's.
    public var format: String?
    /// Redo outputs that already exist (otherwise they are complete and skipped).
    public var overwrite = false
    /// Tiling and threads of the whole run (divided among `jobs`).
    public var tiling = TileOptions()
    /// Frames processed at once; nil = 2 when the machine has 2 cores or more.
    public var jobs: Int?
    /// Frame rate of a video output.
    public var fps: Double = 25
    /// Encoder of a video output.
    public var encoder = EncoderSettings()
    /// mp4/mov output: index first.
    public var faststart = false
    /// Progress display.
    public var progress: ProgressMode = .auto
    /// Temporal reuse between consecutive frames (each job takes a contiguous run of them).
    public var reuse = ReuseOptions()

    /// Creates a configuration.
    public init(inputDir: String, output: String) { self.inputDir = inputDir; self.output = output }
}

/// What a frames run did.
public struct FramesJobResult: Sendable {
    /// Frames upscaled in this run.
    public var processed: Int
    /// Frames skipped because their output already existed.
    public var skipped: Int
    public var seconds: Double
    public var output: String
    /// Frames per second of the frames processed.
    public var fps: Double { seconds > 0 ? Double(processed) / seconds : 0 }
}

/// Upscales a folder of frames into a folder (resumable) or into a video.
public enum FramesJob {
    /// Runs the job; `cancel` stops it after the frames in progress (throws `interrupted`).
    /// Every output frame is written under a temporary name and renamed, so an existing output is
    /// always complete and a re-run skips it.
    public static func run(_ config: FramesJobConfig, cancel: CancelFlag = CancelFlag(),
                           notes: @escaping @Sendable (String) -> Void = { _ in }) throws -> FramesJobResult {
        let inputs = try FrameFolder.list(config.inputDir)
        guard !inputs.isEmpty else {
            throw PipelineError.invalidOption("'\(config.inputDir)' holds no images (\(FrameFolder.extensions.sorted().joined(separator: ", ")))")
        }
        try config.tiling.validate()
        if Muxer.formats[(config.output as NSString).pathExtension.lowercased()] != nil {
            return try FramesToVideo.run(config, inputs: inputs, cancel: cancel, notes: notes)
        }
        if let f = config.format, !ImageFile.canWrite(extension: f) {
            throw PipelineError.invalidOption("--format: cannot write '\(f)' images (png, jpg, webp, tiff, bmp)")
        }
        try FrameFolder.make(config.output)
        AtomicFile.removeStale(in: config.output)
        let outputs = inputs.map { input -> String in
            let name = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
            let ext = config.format ?? (input as NSString).pathExtension
            return (config.output as NSString).appendingPathComponent("\(name).\(ext)")
        }
        if let clash = zip(inputs, outputs).first(where: { URL(fileURLWithPath: $0.0).standardized == URL(fileURLWithPath: $0.1).standardized }) {
            throw PipelineError.outputIsInput(clash.1)
        }
        // Two inputs with one output name (x.png and x.jpg with --format png) would lose a frame.
        var firstInput: [String: String] = [:]
        for (i, o) in zip(inputs, outputs) {
            if let other = firstInput[o] {
                throw PipelineError.invalidOption("'\((other as NSString).lastPathComponent)' and '\((i as NSString).lastPathComponent)' "
                                                  + "would both be written to '\((o as NSString).lastPathComponent)': rename one, or keep each format (no --format)")
            }
            firstInput[o] = i
        }
        let settings = "model \(config.model ?? "default"), scale \(config.scale.map(String.init) ?? "default"), "
            + "size \(config.width.map(String.init) ?? "-")x\(config.height.map(String.init) ?? "-"), format \(config.format ?? "kept")"
        try FrameFolderOwner(input: config.inputDir, settings: settings).claim(config.output, images: try FrameFolder.list(config.output),
                                                                            stale: [], overwrite: config.overwrite)
        let todo = outputs.indices.filter { config.overwrite || !FileManager.default.fileExists(atPath: outputs[$0]) }
        let skipped = inputs.count - todo.count
        if skipped > 0 { notes("note: \(skipped) of \(inputs.count) frames already done in '\(config.output)': skipped (--overwrite redoes them)") }
        let start = Date()
        let total = config.tiling.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let jobs = max(1, min(config.jobs ?? min(2, total), todo.count))
        var perJob = config.tiling
        perJob.threads = max(1, total / jobs)
        let tiling = perJob
        let progress = ProgressReporter(mode: config.progress, total: todo.count)
        let work = WorkList(todo)
        // With reuse, each job takes one contiguous run of frames (neighbours are what repeat),
        // so what is reused does not depend on timing.
        let runs = config.reuse.mode == .off ? nil
            : (0..<jobs).map { j in Array(todo[(j * todo.count / jobs)..<((j + 1) * todo.count / jobs)]) }
        DispatchQueue.concurrentPerform(iterations: jobs) { j in
            let still = StillImageRunner(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                      tiling: tiling, reuse: config.reuse, notes: work.once(notes))
            var mine = runs?[j][...]
            func next() -> Int? {
                guard mine != nil else { return work.next() }
                return work.error == nil ? mine?.popFirst() : nil
            }
            while let i = next() {
                if cancel.isCancelled { work.fail(PipelineError.interruptedKeepingFrames(folder: config.output)); break }
                do {
                    let image = try ImageFile.read(path: inputs[i])
                    try ImageFile.write(try still.upscale(image), to: outputs[i])
                    progress.update(done: work.finished())
                } catch {
                    work.fail(error)
                }
            }
        }
        if let e = work.error { throw e }
        progress.finish(done: todo.count)
        return FramesJobResult(processed: todo.count, skipped: skipped, seconds: Date().timeIntervalSince(start),
                               output: config.output)
    }
}

/// Indexes handed to workers one at a time, a finished count and the first error, behind a lock.
final class WorkList: Sendable {
    private struct State { var items: ArraySlice<Int>; var done = 0; var said: Set<String> = []; var error: Error? }
    private let state: Locked<State>

    init(_ items: [Int]) { state = Locked(State(items: items[...])) }

    /// The first error a worker recorded.
    var error: Error? { state.withLock { $0.error } }

    /// The next index, or nil when all are handed out or a worker failed.
    func next() -> Int? {
        state.withLock { $0.error == nil ? $0.items.popFirst() : nil }
    }

    /// Counts one finished item and returns the total so far.
    func finished() -> Int {
        state.withLock { $0.done += 1; return $0.done }
    }

    /// Records the first error; the remaining items are not started.
    func fail(_ e: Error) {
        state.withLock { if $0.error == nil { $0.error = e } }
    }

    /// `notes`, saying each distinct line once however many workers say it.
    func once(_ notes: @escaping @Sendable (String) -> Void) -> (String) -> Void {
        { [self] line in
            if state.withLock({ $0.said.insert(line).inserted }) { notes(line) }
        }
    }
}
