import ArgumentParser
import Foundation
import SRPipeline

/// `upscale slurm ...`: plans and submits shards as a Slurm job array, or shows where they stand.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Upscale on a Slurm cluster: one array task per shard and a dependent merge job.",
        discussion: """
            Examples:
              upscale slurm film.mkv -o film-x2.mkv --shards 16 --cpus-per-task 8 --wait
              upscale slurm status .film-x2.mkv.upscale-shards
            """,
        subcommands: [SlurmSubmitCommand.self, SlurmStatusCommand.self],
        defaultSubcommand: SlurmSubmitCommand.self)
}

/// `upscale slurm IN... -o OUT [flags]`.
struct SlurmSubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Plan, write the sbatch scripts into the work folder, submit them, print the job ids (the default).",
        discussion: """
            The work folder and the upscale binary must be on a filesystem every node sees (NFS, Lustre), at
            the same path. Failed or preempted tasks are requeued (--requeue) and resume their shard.
            Examples:
              upscale slurm film.mkv -o film-x2.mkv --shards 16 --cpus-per-task 8 --time 2:00:00
              upscale slurm episodes/*.mkv -o out/ --preset anime --max-parallel 4 --wait
            """)

    @Option(name: .long, help: ArgumentHelp("Shards (array tasks; default: one per segment or file).", valueName: "n"))
    var shards: Int?
    @Option(name: .long, help: ArgumentHelp("The work folder (default as `upscale plan`).", valueName: "dir"))
    var workdir: String?
    @Option(name: .long, help: ArgumentHelp("Slurm partition (default: the cluster's).", valueName: "name"))
    var partition: String?
    @Option(name: .long, help: ArgumentHelp("Time limit per task, e.g. 2:00:00.", valueName: "time"))
    var time: String?
    @Option(name: .customLong("cpus-per-task"), help: ArgumentHelp("Cores per task (its threads follow them).", valueName: "n"))
    var cpusPerTask: Int?
    @Option(name: .customLong("max-parallel"), help: ArgumentHelp("Tasks running at once (--array=0-N%M).", valueName: "m"))
    var maxParallel: Int?
    @Flag(name: .long, help: "Block until the merge job ends; exit 0 only if the output is complete.")
    var wait = false
    @Flag(name: .customLong("dry-run"), help: "Print the scripts and the sbatch commands; submit and write nothing.")
    var dryRun = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("IN... -o OUT and the flags of the run.", valueName: "arguments"))
    var arguments: [String] = []

    func run() throws {
        if let c = cpusPerTask, c < 1 { throw CLIFailure(message: "--cpus-per-task must be at least 1 (got \(c))") }
        if let m = maxParallel, m < 1 { throw CLIFailure(message: "--max-parallel must be at least 1 (got \(m))") }
        let (plan, folder) = try ShardSetup.plan(arguments, shards: shards, workdir: workdir, write: !dryRun, quiet: false)
        var config = SlurmConfig(folder: folder, shards: plan.count, executable: ShardSetup.executable)
        let stem = URL(fileURLWithPath: plan.output.isEmpty ? "batch" : plan.output).deletingPathExtension().lastPathComponent
        config.name = "upscale-" + String(stem.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
        config.partition = partition; config.time = time; config.cpusPerTask = cpusPerTask; config.maxParallel = maxParallel
        if dryRun {
            let (array, merge) = SlurmJob.scripts(config)
            print("# \(folder)/slurm-array.sh\n\(array)\n# \(folder)/slurm-merge.sh\n\(merge)")
            print("sbatch --parsable \(folder)/slurm-array.sh")
            print("sbatch --parsable --dependency=afterok:ARRAY_ID --kill-on-invalid-dep=yes \(folder)/slurm-merge.sh")
            return
        }
        let ids = try SlurmJob.submit(config)
        print("\(ids.array) \(ids.merge)")
        Console.note("submitted \(plan.count) shard\(plan.count == 1 ? "" : "s") as job array \(ids.array), the merge as job \(ids.merge); "
                     + "watch with `squeue -j \(ids.array),\(ids.merge)` or `upscale slurm status \(folder)`", quiet: false)
        guard wait else { return }
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: false)
        let state = try SlurmJob.wait(for: ids.merge, cancel: cancel)
        withExtendedLifetime(trap) {}
        let complete = !FileManager.default.fileExists(atPath: folder)
            && (plan.kind == .batch || FileManager.default.fileExists(atPath: plan.output))
        guard complete else {
            let states = ShardJob.status(plan: plan, folder: folder)
            let done = states.filter { $0 == .done }.count
            throw CLIFailure(message: "the merge job \(ids.merge) ended \(state) without a complete output (\(done) of \(states.count) "
                             + "shards done); see `upscale slurm status \(folder)` and \(folder)/logs", code: 2)
        }
        Console.note("done: \(plan.kind == .video ? plan.output : "\(plan.files.count) files") (merge job \(ids.merge) \(state))", quiet: false)
    }
}

/// `upscale slurm status WORKDIR`.
struct SlurmStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each shard of a work folder: done, running, failed or pending.",
        discussion: """
            Example:
              upscale slurm status .film-x2.mkv.upscale-shards
            """)

    @Argument(help: ArgumentHelp("The work folder.", valueName: "workdir"))
    var workdir: String

    func run() throws {
        let (plan, folder) = try ShardSetup.load(workdir)
        let states = ShardJob.status(plan: plan, folder: folder)
        let what = plan.kind == .video ? "segments" : "files"
        print("shard  \(what)  state")
        for (k, s) in states.enumerated() {
            let items = plan.shards[k]
            let range = items.count == 1 ? "\(items[0])" : "\(items.first ?? 0)-\(items.last ?? 0)"
            print(String(format: "%5d  %@  %@", k, range.padding(toLength: max(what.count, range.count), withPad: " ", startingAt: 0), s.rawValue))
        }
        let count = { (s: ShardJob.ShardState) in states.filter { $0 == s }.count }
        print("\(count(.done)) done, \(count(.running)) running, \(count(.failed)) failed, \(count(.pending)) pending of \(states.count)")
    }
}
