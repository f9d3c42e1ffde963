import Foundation

/// Typed configuration of `upscale slurm`: how the planned shards are submitted.
public struct SlurmConfig: Sendable {
    /// The shard work folder (`upscale plan` wrote it).
    public var folder: String
    /// Number of shards (array tasks 0..<shards).
    public var shards: Int
    /// The `upscale` binary every node runs (the same path on every node: a shared filesystem).
    public var executable: String
    /// Job name shown by squeue.
    public var name = "upscale"
    public var partition: String?
    /// Time limit per task (`--time`, e.g. 2:00:00).
    public var time: String?
    /// Cores per task (`--cpus-per-task`; each task's threads follow it).
    public var cpusPerTask: Int?
    /// Tasks running at once (`--array=0-N%M`).
    public var maxParallel: Int?
    /// Times a task that failed with a processing error (exit 2) is requeued.
    public var retries = 2

    /// Creates a configuration.
    public init(folder: String, shards: Int, executable: String) {
        self.folder = folder; self.shards = shards; self.executable = executable
    }
}

/// Submits a shard plan to Slurm: a job array with one task per shard (`--requeue`: a preempted
/// or requeued task runs again and resumes its shard) and a merge job that starts when every task
/// succeeded (`--dependency=afterok`) and is cancelled when one failed (`--kill-on-invalid-dep`).
public enum SlurmJob {
    /// The array script and the merge script.
    public static func scripts(_ c: SlurmConfig) -> (array: String, merge: String) {
        func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var common: [String] = []
        if let p = c.partition { common.append("#SBATCH --partition=\(p)") }
        if let t = c.time { common.append("#SBATCH --time=\(t)") }
        let limit = c.maxParallel.map { "%\($0)" } ?? ""
        let array = (["#!/bin/sh", "#SBATCH --job-name=\(c.name)", "#SBATCH --array=0-\(max(0, c.shards - 1))\(limit)"]
            + (c.cpusPerTask.map { ["#SBATCH --cpus-per-task=\($0)"] } ?? []) + common
            + ["#SBATCH --requeue", "#SBATCH --open-mode=append", "#SBATCH --output=\(c.folder)/logs/shard-%a.log",
               "# One shard per task; a requeued or rerun task resumes its shard (upscale run-shard is idempotent).",
               "\(q(c.executable)) run-shard \(q(c.folder)) --index \"$SLURM_ARRAY_TASK_ID\" &",
               "child=$!",
               "# Slurm's SIGTERM (preemption, requeue, scancel) goes to upscale, which stops after the frame it is on.",
               "trap 'kill -TERM \"$child\" 2>/dev/null' TERM INT HUP",
               "wait \"$child\"; status=$?",
               "while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; status=$?; done",
               "# A processing failure (exit 2: I/O, a full disk, a lost node's files) is retried twice; input and",
               "# usage errors (exit 1) would fail again. Preemption and node failures are requeued by --requeue.",
               "if [ \"$status\" = 2 ] && [ \"${SLURM_RESTART_COUNT:-0}\" -lt \(c.retries) ]; then",
               "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" && sleep 600  # ended by the requeue",
               "fi",
               "exit $status", ""]).joined(separator: "\n")
        let merge = (["#!/bin/sh", "#SBATCH --job-name=\(c.name)-merge", "#SBATCH --cpus-per-task=1"] + common
            + ["#SBATCH --requeue", "#SBATCH --open-mode=append", "#SBATCH --output=\(c.folder)/logs/merge.log",
               "# Runs after every shard succeeded (submitted with --dependency=afterok on the array).",
               "exec \(q(c.executable)) merge \(q(c.folder))", ""]).joined(separator: "\n")
        return (array, merge)
    }

    /// Writes the scripts into the work folder and submits them; returns the array's and the
    /// merge job's ids.
    public static func submit(_ c: SlurmConfig) throws -> (array: String, merge: String) {
        let (array, merge) = scripts(c)
        let arrayPath = c.folder + "/slurm-array.sh", mergePath = c.folder + "/slurm-merge.sh"
        for (text, path) in [(array, arrayPath), (merge, mergePath)] {
            try FileSync.write(Data(text.utf8), to: path)
            chmod(path, 0o755)
        }
        let arrayID = try sbatch(["--parsable", arrayPath])
        let mergeID = try sbatch(["--parsable", "--dependency=afterok:\(arrayID)", "--kill-on-invalid-dep=yes", mergePath])
        return (arrayID, mergeID)
    }

    /// Blocks until job `id` has left the queue (polling scontrol); returns its last state.
    public static func wait(for id: String, poll: Double = 2, cancel: CancelFlag = CancelFlag()) throws -> String {
        var last = "UNKNOWN"
        while !cancel.isCancelled {
            guard let out = try? run("scontrol", ["show", "job", id, "-o"]),
                  let state = out.split(separator: " ").first(where: { $0.hasPrefix("JobState=") })?.dropFirst(9) else {
                return last  // the record is gone: the job ended
            }
            last = String(state)
            if !["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED"].contains(last) { return last }
            Thread.sleep(forTimeInterval: poll)
        }
        throw PipelineError.interrupted
    }

    private static func sbatch(_ args: [String]) throws -> String {
        let out = try run("sbatch", args).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = out.split(separator: ";").first, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw PipelineError.invalidOption("sbatch did not return a job id (got '\(out.prefix(200))')")
        }
        return String(id)
    }

    /// Runs a Slurm client command; its stdout, or an error with its first stderr line.
    static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            throw PipelineError.invalidOption("cannot run \(tool): \(error.localizedDescription)")
        }
        // stderr is drained on its own thread, so a tool that fills that pipe cannot block while we read stdout.
        let errData = Locked(Data())
        let drained = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errData.withLock { $0 = errHandle.readDataToEndOfFile() }
            drained.signal()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let errText = String(decoding: errData.current, as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let why = errText.split(separator: "\n").first.map(String.init) ?? "exit \(p.terminationStatus)"
            throw PipelineError.invalidOption(p.terminationStatus == 127
                ? "\(tool) not found: install Slurm's client tools (Debian: slurm-client) or run where they are"
                : "\(tool) failed: \(why)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
