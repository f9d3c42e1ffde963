import ArgumentParser
import Foundation
import SRPipeline

/// `upscale batch [--preset P] [-o OUT_DIR] INPUTS...`: many files, one configuration.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Upscale many videos and images with one configuration; a failing file does not stop the rest.",
        discussion: """
            Inputs are files, folders (their media files; --recursive for subfolders) or quoted
            glob patterns. Outputs are named by --name from {stem}, {ext}, {scale}, {model} and
            {name}; one that already exists is finished work and is skipped (-y redoes it). At the
            end a table lists every file; the exit code is 2 when any file failed.
            Examples:
              upscale batch --preset anime -o out/ episodes/*.mkv
              upscale batch -o big/ photos/ --recursive --name '{stem}@{scale}x.{ext}' --jobs 2
              upscale batch 'clips/*.mp4' --preset web-1080p --report report.json
            """)

    @Argument(help: ArgumentHelp("Files, folders or glob patterns.", valueName: "inputs"))
    var inputs: [String]

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Folder for every output (created when missing; default: next to each input).", valueName: "dir"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Output file name template. (default: \(Defaults.batchName))",
                                            valueName: "template"))
    var name: String?

    @Flag(name: .long, help: "Take media files from subfolders of folder inputs too.")
    var recursive = false

    @Option(name: .long, help: ArgumentHelp("Files processed at once; the threads are divided among them. (default: \(Defaults.batchJobs))",
                                            valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Also write the summary as JSON to this file.", valueName: "file"))
    var report: String?

    @OptionGroup var presetOptions: PresetOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sizeOptions: SizeOptions
    @OptionGroup var encoderOptions: EncoderOptions
    @OptionGroup var tilingOptions: TilingOptions

    @Flag(name: .long, help: "Fail a video on corrupt data instead of concealing it.")
    var strict = false

    @OptionGroup var resumeOptions: ResumeOptions

    @Flag(name: .customLong("dry-run"), help: "Print each video's plan and predicted time and memory, and the total; process nothing.")
    var dryRun = false
    @OptionGroup var runOptions: RunOptions

    /// The preset keys this command takes (the rest of a preset is ignored here).
    static let presetKeys = ModelOptions.presetKeys.union(SizeOptions.presetKeys).union(EncoderOptions.presetKeys)
        .union(TilingOptions.presetKeys).union(RunOptions.presetKeys).union([.name, .recursive, .jobs, .strict])

    func run() throws {
        let preset = try presetOptions.values(keys: Self.presetKeys, sizeGiven: modelOptions.givesSize(sizeOptions))
        let quiet = runOptions.isQuiet(preset)
        let config = try batchConfig()
        if ConfigDump.shown(config, keys: Self.presetKeys, quiet: quiet) { return }
        try Self.runBatch(config, quiet: quiet, report: report)
    }

    /// The typed configuration (also what `plan` and `run-shard` use).
    func batchConfig() throws -> BatchJobConfig {
        let preset = try presetOptions.values(keys: Self.presetKeys, sizeGiven: modelOptions.givesSize(sizeOptions))
        let recursive = self.recursive || (preset.recursive ?? false)
        var config = BatchJobConfig(inputs: try BatchInputs.expand(inputs, recursive: recursive))
        config.outputDir = output; config.name = name ?? preset.name ?? Defaults.batchName
        config.jobs = jobs ?? preset.jobs ?? Defaults.batchJobs
        config.overwrite = runOptions.overwrite
        modelOptions.apply(sizeOptions, preset: preset, to: &config)
        config.tiling = try tilingOptions.resolved(preset); config.encoder = try encoderOptions.resolved(preset)
        config.faststart = encoderOptions.faststart(preset); config.strict = strict || (preset.strict ?? false)
        var video = VideoJobConfig(input: "", output: "")
        try resumeOptions.apply(to: &video)
        config.resume = video.resume; config.restart = video.restart; config.segmentSeconds = video.segmentSeconds
        config.dryRun = dryRun
        return config
    }

    /// Runs the batch, prints a line per file and the table, writes `report`; exit 2 when a file failed.
    static func runBatch(_ config: BatchJobConfig, quiet: Bool, report: String?) throws {
        let dryRun = config.dryRun
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let total = config.inputs.count
        let counter = Counter()
        let items = try BatchJob.run(config, cancel: cancel, notes: { Console.note($0, quiet: quiet) }) { item in
            let n = counter.next()
            let what = item.status == .failed ? "FAILED: \(item.error ?? "")" : item.status.rawValue
            Console.note("[\(n)/\(total)] \(item.file): \(what)", quiet: quiet)
        }
        withExtendedLifetime(trap) {}
        if let report { try BatchJob.writeReport(items, to: report) }
        if !quiet { print(BatchCommand.table(items)) }
        if dryRun {
            // Each file was timed with its share of the cores, so `jobs` of them run side by side.
            let predicted = items.compactMap(\.predictedSeconds), lanes = max(1, min(config.jobs, predicted.count))
            Console.note("predicted about \(RunEstimate.duration(predicted.reduce(0, +) / Double(lanes))) for \(predicted.count) video"
                         + "\(predicted.count == 1 ? "" : "s") with \(config.jobs) job\(config.jobs == 1 ? "" : "s") at once "
                         + "(images not timed)", quiet: quiet)
        }
        let failed = items.filter { $0.status == .failed }.count
        if failed > 0 {
            throw CLIFailure(message: "\(failed) of \(items.count) file\(items.count == 1 ? "" : "s") failed", code: 2)
        }
    }

    /// The summary: file, status, frames, time, fps, output size.
    static func table(_ items: [BatchItem]) -> String {
        let header = ["file", "status", "frames", "time s", "fps", "output MB"]
        let rows = items.map { i -> [String] in
            [i.file, i.status == .failed ? "failed: \(i.error ?? "")" : i.status.rawValue,
             i.status == .done || i.status == .planned ? String(i.frames) : "-",
             i.status == .done ? String(format: "%.1f", i.seconds) : i.predictedSeconds.map { String(format: "~%.1f", $0) } ?? "-",
             i.status == .done ? String(format: "%.2f", i.fps) : "-",
             i.outputBytes > 0 ? String(format: "%.2f", Double(i.outputBytes) / 1_048_576) : "-"]
        }
        let widths = header.indices.map { c in ([header] + rows).map { min($0[c].count, 60) }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, v in v.padding(toLength: max(widths[c], v.count), withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let done = items.filter { $0.status == .done }.count, skipped = items.filter { $0.status == .skipped }.count
        let planned = items.filter { $0.status == .planned }.count, failed = items.filter { $0.status == .failed }.count
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)
                + ["\(done) done, " + (planned > 0 ? "\(planned) planned, " : "") + "\(skipped) skipped, \(failed) failed"])
            .joined(separator: "\n")
    }
}

/// A thread-safe running count.
final class Counter: Sendable {
    private let value = Locked(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
