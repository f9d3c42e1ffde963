import Foundation
import XCTest

/// The shard contract without a cluster (issue 18): `plan`, `run-shard` (in any order, idempotent,
/// resuming a killed task) and `merge` give the same file as one machine; what is missing is named.
/// `tests/slurm-test.sh` runs the same through a real Slurm cluster.
final class ShardTests: XCTestCase {
    let clip = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/gop10.mp4").path
    let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path
    let flags = ["--model", "lanczos", "--segment-seconds", "0.4", "-q"]

    func testVideoShardsInAnyOrderMatchOneMachine() throws {
        let dir = try CLIRunner.tempDir()
        let ref = dir.appendingPathComponent("ref.mp4").path, out = dir.appendingPathComponent("out.mp4").path
        XCTAssertEqual(try CLIRunner.run([clip, "-o", ref] + flags).status, 0)
        let plan = try CLIRunner.run(["plan", clip, "-o", out, "--shards", "3"] + flags)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "3", "the shard count on stdout")
        let work = dir.appendingPathComponent(".out.mp4.upscale-shards").path
        XCTAssertTrue(plan.stderr.contains(work), plan.stderr)
        // Planning again with the same arguments keeps the plan; other settings are refused.
        XCTAssertEqual(try CLIRunner.run(["plan", clip, "-o", out, "--shards", "3"] + flags).status, 0)
        let other = try CLIRunner.run(["plan", clip, "-o", out, "--shards", "2"] + flags)
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("holds another plan"), other.stderr)

        let early = try CLIRunner.run(["merge", work])
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.stderr.contains("3 of 3 shards are not done (0, 1, 2)"), early.stderr)
        // Shard 1 (segments 1 and 2) is killed after its first segment is recorded, then rerun: it resumes.
        let killed = try CLIRunner.run(["run-shard", work, "--index", "1"], environment: ["UPSCALE_TEST_FAULT": "kill:done:1"])
        XCTAssertEqual(killed.status, 9, killed.stderr)
        let status = try CLIRunner.run(["slurm", "status", work])
        XCTAssertTrue(status.stdout.contains("0 done, 0 running, 0 failed, 3 pending of 3"), status.stdout)
        let resumed = try CLIRunner.run(["run-shard", work, "--index", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming shard 1: 1 of 2 segments already done"), resumed.stderr)
        for k in ["2", "0"] { XCTAssertEqual(try CLIRunner.run(["run-shard", work, "--index", k, "-q"]).status, 0) }
        let again = try CLIRunner.run(["run-shard", work, "--index", "0"])
        XCTAssertTrue(again.stderr.contains("already done"), again.stderr)
        // An output that appeared meanwhile is kept (the segments too); -y replaces it.
        try "someone else's".write(toFile: out, atomically: true, encoding: .utf8)
        let kept = try CLIRunner.run(["merge", work])
        XCTAssertEqual(kept.status, 1, kept.stderr)
        XCTAssertTrue(kept.stderr.contains("already exists"), kept.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "someone else's")
        let merged = try CLIRunner.run(["merge", work, "-y"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), try Data(contentsOf: URL(fileURLWithPath: ref)),
                       "byte-identical to the single-machine run")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work), "the work folder is removed after the merge")
    }

    func testBatchShardsAndBadCalls() throws {
        let dir = try CLIRunner.tempDir()
        let a = dir.appendingPathComponent("a.mp4").path, b = dir.appendingPathComponent("b.png").path
        try FileManager.default.copyItem(atPath: clip, toPath: a)
        try FileManager.default.copyItem(atPath: photo, toPath: b)
        let out = dir.appendingPathComponent("out").path
        let plan = try CLIRunner.run(["plan", a, b, "-o", out] + flags)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2")
        let work = out + "/.upscale-shards"
        let range = try CLIRunner.run(["run-shard", work, "--index", "2"])
        XCTAssertEqual(range.status, 1)
        XCTAssertTrue(range.stderr.contains("--index 2 is out of range"), range.stderr)
        let noIndex = try CLIRunner.run(["run-shard", work], environment: ["SLURM_ARRAY_TASK_ID": ""])
        XCTAssertEqual(noIndex.status, 1)
        XCTAssertTrue(noIndex.stderr.contains("--index K is required"), noIndex.stderr)
        for k in ["1", "0"] {
            let r = try CLIRunner.run(["run-shard", work], environment: ["SLURM_ARRAY_TASK_ID": k, "SLURM_CPUS_PER_TASK": "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let merged = try CLIRunner.run(["merge", work])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertTrue(merged.stdout.contains("2 done"), merged.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).sorted(), ["a_x2.mp4", "b_x2.png"])
        let notAPlan = try CLIRunner.run(["merge", dir.path])
        XCTAssertEqual(notAPlan.status, 1)
        XCTAssertTrue(notAPlan.stderr.contains("is not a shard work folder"), notAPlan.stderr)
    }

    /// A task refuses to work when a setting changed after planning (here a preset file edited).
    func testChangedPresetIsRefusedByTheTasks() throws {
        let dir = try CLIRunner.tempDir()
        let preset = dir.appendingPathComponent("p.toml").path
        try "crf = 20\n".write(toFile: preset, atomically: true, encoding: .utf8)
        let a = dir.appendingPathComponent("a.mp4").path
        try FileManager.default.copyItem(atPath: clip, toPath: a)
        for (args, work) in [([a, "-o", dir.appendingPathComponent("v.mp4").path], dir.appendingPathComponent(".v.mp4.upscale-shards").path),
                             ([a, photo, "-o", dir.appendingPathComponent("b").path], dir.appendingPathComponent("b/.upscale-shards").path)] {
            try "crf = 20\n".write(toFile: preset, atomically: true, encoding: .utf8)
            XCTAssertEqual(try CLIRunner.run(["plan"] + args + ["--preset", preset] + flags).status, 0)
            try "crf = 22\n".write(toFile: preset, atomically: true, encoding: .utf8)
            let r = try CLIRunner.run(["run-shard", work, "--index", "0"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("the setting 'crf' changed (20 -> 22)"), r.stderr)
        }
    }

    /// A hand-edited plan whose shards name segments that do not exist is one line, not a crash.
    func testDamagedPlanIsOneLine() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("o.mp4").path, work = dir.appendingPathComponent(".o.mp4.upscale-shards").path
        XCTAssertEqual(try CLIRunner.run(["plan", clip, "-o", out] + flags).status, 0)
        let path = work + "/plan.json"
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        plan["shards"] = [[99]]
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: path))
        for args in [["run-shard", work, "--index", "0"], ["merge", work], ["slurm", "status", work]] {
            let r = try CLIRunner.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is damaged (its shards do not match its segments)"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }

    /// `upscale slurm --dry-run`: the array script (one task per shard, requeue, per-task threads)
    /// and the dependent merge, without a cluster; nothing is written.
    func testSlurmDryRunPrintsTheScripts() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("o.mkv").path
        let r = try CLIRunner.run(["slurm", clip, "-o", out, "--shards", "2", "--partition", "gpu", "--time", "1:00:00",
                                   "--cpus-per-task", "4", "--max-parallel", "1", "--dry-run"] + flags)
        XCTAssertEqual(r.status, 0, r.stderr)
        for line in ["#SBATCH --array=0-1%1", "#SBATCH --cpus-per-task=4", "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00",
                     "#SBATCH --requeue", "run-shard '\(dir.path)/.o.mkv.upscale-shards' --index \"$SLURM_ARRAY_TASK_ID\"",
                     "merge '\(dir.path)/.o.mkv.upscale-shards'", "--dependency=afterok:ARRAY_ID --kill-on-invalid-dep=yes",
                     "if [ \"$status\" = 2 ] && [ \"${SLURM_RESTART_COUNT:-0}\" -lt 2 ]; then",
                     "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""] {
            XCTAssertTrue(r.stdout.contains(line), "\(line) in:\n\(r.stdout)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "a dry run writes nothing")
    }
}
