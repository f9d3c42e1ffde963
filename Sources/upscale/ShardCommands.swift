import ArgumentParser
import Foundation
import SRPipeline

/// Builds shard plans and their configurations from the arguments of `upscale IN -o OUT` or
/// `upscale batch INPUTS...` (stored in the plan, so every task builds the same configuration).
enum ShardSetup {
    /// video when the arguments are one video file to one video file; batch otherwise.
    static func kind(_ args: [String]) -> ShardPlan.Kind {
        guard let c = try? VideoCommand.parse(args), !FrameFolder.isFolderPath(c.input), !FrameFolder.isFolderPath(c.output),
              !ModelsJob.isImagePath(c.input), !ModelsJob.isImagePath(c.output) else { return .batch }
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: c.input, isDirectory: &isDir) && !isDir.boolValue ? .video : .batch
    }

    static func video(_ args: [String]) throws -> VideoJobConfig { try VideoCommand.parse(args).videoConfig() }
    static func batch(_ args: [String]) throws -> BatchJobConfig { try BatchCommand.parse(args).batchConfig() }

    /// Plans (and with `write`, writes the work folder); the plan and the folder's absolute path.
    static func plan(_ args: [String], shards: Int?, workdir: String?, write: Bool, quiet: Bool) throws -> (ShardPlan, String) {
        if let n = shards, n < 1 { throw CLIFailure(message: "--shards must be at least 1 (got \(n))") }
        guard !args.isEmpty else { throw CLIFailure(message: "give what to upscale: IN -o OUT [flags], or several inputs -o DIR") }
        func absolute(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.path }
        switch kind(args) {
        case .video:
            let c = try video(args)
            let folder = absolute(workdir ?? ShardFolderName.video(output: c.output))
            return (try ShardJob.planVideo(c, arguments: args, folder: folder, shards: shards, write: write) { Console.note($0, quiet: quiet) },
                    folder)
        case .batch:
            let c = try batch(args)
            let folder = absolute(workdir ?? ShardFolderName.batch(outputDir: c.outputDir))
            return (try ShardJob.planBatch(c, arguments: args, folder: folder, shards: shards, write: write), folder)
        }
    }

    /// The plan of `workdir` (absolute), with the working folder set to the plan's.
    static func load(_ workdir: String) throws -> (ShardPlan, String) {
        let folder = URL(fileURLWithPath: workdir).standardizedFileURL.path
        let plan = try ShardPlan.load(folder)
        guard FileManager.default.changeCurrentDirectoryPath(plan.directory) else {
            throw CLIFailure(message: "the plan's folder '\(plan.directory)' is not reachable here (a shared filesystem is needed)")
        }
        return (plan, folder)
    }

    /// This binary's absolute path (what every node runs).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// `upscale plan IN -o OUT [flags]`: the shard work folder and its shard count.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cut a video (by segments) or a batch (by files) into shards for a cluster; print the number of shards.",
        discussion: """
            The arguments are those of `upscale IN -o OUT` or `upscale batch INPUTS... -o DIR`. Then run every
            shard (any order, any machine that sees the folder) and merge. Example:
              upscale plan film.mkv -o film-x2.mkv --model upscale-fast-x2 --shards 8
              upscale run-shard .film-x2.mkv.upscale-shards --index 0     (... to 7)
              upscale merge .film-x2.mkv.upscale-shards
            """)

    @Option(name: .long, help: ArgumentHelp("Shards to cut the work into (default: one per segment or file).", valueName: "n"))
    var shards: Int?

    @Option(name: .long, help: ArgumentHelp(
        "The work folder (default: .OUT.upscale-shards beside the output; DIR/.upscale-shards for a batch).", valueName: "dir"))
    var workdir: String?

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("IN -o OUT and the flags of the run.", valueName: "arguments"))
    var arguments: [String] = []

    func run() throws {
        let (plan, folder) = try ShardSetup.plan(arguments, shards: shards, workdir: workdir, write: true, quiet: false)
        print(plan.count)
        Console.note("\(plan.count) shard\(plan.count == 1 ? "" : "s") (\(plan.kind == .video ? "\(plan.segments?.segments.count ?? 0) segments" : "\(plan.files.count) files")) "
                     + "in '\(folder)': run `upscale run-shard \(folder) --index K` for K = 0...\(plan.count - 1), then `upscale merge \(folder)`",
                     quiet: false)
    }
}

/// `upscale run-shard WORKDIR --index K`: does shard K (idempotent; resumes what a killed task left).
struct RunShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-shard",
        abstract: "Run one shard of a plan (idempotent: finished work is kept, a rerun resumes or does nothing).",
        discussion: """
            Threads follow SLURM_CPUS_PER_TASK when the plan gives no --threads; --index defaults to SLURM_ARRAY_TASK_ID.
            Example:
              upscale run-shard .film-x2.mkv.upscale-shards --index 3
            """)

    @Argument(help: ArgumentHelp("The work folder `upscale plan` wrote.", valueName: "workdir"))
    var workdir: String

    @Option(name: .long, help: ArgumentHelp("The shard (0-based; default $SLURM_ARRAY_TASK_ID).", valueName: "k"))
    var index: Int?

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        guard let k = index ?? env["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
            throw CLIFailure(message: "--index K is required (or SLURM_ARRAY_TASK_ID in the environment)")
        }
        let (plan, folder) = try ShardSetup.load(workdir)
        let cpus = env["SLURM_CPUS_PER_TASK"].flatMap { Int($0) }
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let notes: @Sendable (String) -> Void = { [quiet] in Console.note($0, quiet: quiet) }
        let r: ShardJob.ShardResult
        switch plan.kind {
        case .video:
            var c = try ShardSetup.video(plan.arguments)
            if c.tiling.threads == nil { c.tiling.threads = cpus }
            if quiet { c.progress = .none }
            r = try ShardJob.runVideoShard(c, plan: plan, folder: folder, index: k, cancel: cancel, notes: notes)
        case .batch:
            var c = try ShardSetup.batch(plan.arguments)
            if c.tiling.threads == nil { c.tiling.threads = cpus }
            r = try ShardJob.runBatchShard(c, plan: plan, folder: folder, index: k, cancel: cancel, notes: notes)
        }
        withExtendedLifetime(trap) {}
        let what = plan.kind == .video ? "segment" : "file"
        Console.note("shard \(k): \(r.items) \(what)\(r.items == 1 ? "" : "s") (\(r.alreadyDone) already done), \(r.frames) frames in "
                     + String(format: "%.1f s", r.seconds), quiet: quiet)
    }
}

/// `upscale merge WORKDIR`: joins and finalizes once every shard is done.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join a plan's finished shards into the output (audited) and remove the work folder; or name the missing shards.",
        discussion: """
            Example:
              upscale merge .film-x2.mkv.upscale-shards
            """)

    @Argument(help: ArgumentHelp("The work folder `upscale plan` wrote.", valueName: "workdir"))
    var workdir: String

    @Flag(name: [.customShort("y"), .long], help: "Replace an existing output (also when the plan was made without -y).")
    var overwrite = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let (plan, folder) = try ShardSetup.load(workdir)
        switch plan.kind {
        case .video:
            var c = try ShardSetup.video(plan.arguments)
            c.progress = .none
            c.overwrite = c.overwrite || overwrite
            let cancel = CancelFlag()
            let trap = SignalTrap(cancel: cancel, quiet: quiet)
            let r = try ShardJob.mergeVideo(c, plan: plan, folder: folder, cancel: cancel) { [quiet] in Console.note($0, quiet: quiet) }
            withExtendedLifetime(trap) {}
            for n in r.auditNotes { Console.note("audit: \(n) (damaged input)", quiet: quiet) }
            Console.note("\(c.output): \(r.frames) frames from \(r.segments) segments in \(plan.count) shards, merged in "
                         + String(format: "%.1f s", r.seconds), quiet: quiet)
        case .batch:
            let items = try ShardJob.mergeBatch(plan: plan, folder: folder)
            if !quiet { print(BatchCommand.table(items)) }
        }
    }
}
