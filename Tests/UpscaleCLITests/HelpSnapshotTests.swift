import Foundation
import XCTest

/// `upscale SUB --help` (100 columns) against `Snapshots/SUB.txt`: a change to any help text is
/// seen in review. `UPSCALE_WRITE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` rewrites
/// the snapshots that differ, and still fails for them ("snapshot rewritten; run again"), so a
/// rewrite never turns a failing comparison into a pass.
final class HelpSnapshotTests: XCTestCase {
    static let folder = CLIRunner.packageRoot.appendingPathComponent("Tests/UpscaleCLITests/Snapshots")

    func testRootHelp() throws { try check([]) }
    func testVideoHelp() throws { try check(["video"]) }
    func testImageHelp() throws { try check(["image"]) }
    func testFramesHelp() throws { try check(["frames"]) }
    func testBatchHelp() throws { try check(["batch"]) }
    func testPreviewHelp() throws { try check(["preview"]) }
    func testShardHelp() throws { for c in [["plan"], ["run-shard"], ["merge"], ["slurm"], ["slurm", "submit"], ["slurm", "status"]] { try check(c) } }
    func testPresetsHelp() throws { for p in [[], ["list"], ["show"], ["keys"]] { try check(["presets"] + p) } }
    func testCompareHelp() throws { try check(["compare"]) }
    func testTrainHelp() throws { try check(["train"]) }
    func testEvalHelp() throws { try check(["eval"]) }
    func testPrepareHelp() throws { try check(["prepare"]) }
    func testModelsHelp() throws { for p in [[], ["list"], ["info"], ["export"]] { try check(["models"] + p) } }
    func testBenchHelp() throws { try check(["bench"]) }
    func testTileCheckHelp() throws { try check(["tile-check"]) }
    func testDoctorHelp() throws { try check(["doctor"]) }

    /// Every command has a snapshot (and a test above), and every snapshot belongs to a command.
    func testEveryCommandHasASnapshotAndNoneIsStale() throws {
        let wanted = Set(try HelpText.commandPaths().map(HelpSnapshotTests.fileName))
        let present = Set(((try? FileManager.default.contentsOfDirectory(atPath: HelpSnapshotTests.folder.path)) ?? [])
            .filter { $0.hasSuffix(".txt") })
        for f in wanted.subtracting(present).sorted() {
            XCTFail("no snapshot \(f): add a test for its command here and run "
                    + "UPSCALE_WRITE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests")
        }
        for f in present.subtracting(wanted).sorted() { XCTFail("snapshot \(f) belongs to no command: remove it") }
    }

    /// `video.txt`, `presets-list.txt`; `upscale.txt` for the root.
    static func fileName(_ path: [String]) -> String { (path.isEmpty ? "upscale" : path.joined(separator: "-")) + ".txt" }

    /// Compares the help of `path` with its snapshot; rewrites it when asked (and fails if it differed).
    func check(_ path: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let now = try HelpText.help(path)
        let name = HelpSnapshotTests.fileName(path)
        let url = HelpSnapshotTests.folder.appendingPathComponent(name)
        let old = try? String(contentsOf: url, encoding: .utf8)
        if old == now { return }
        let command = (["upscale"] + path + ["--help"]).joined(separator: " ")
        let env = ProcessInfo.processInfo.environment["UPSCALE_WRITE_SNAPSHOTS"] ?? ""
        if !env.isEmpty && env != "0" {
            try FileManager.default.createDirectory(at: HelpSnapshotTests.folder, withIntermediateDirectories: true)
            try now.write(to: url, atomically: true, encoding: .utf8)
            XCTFail("\(name): snapshot rewritten; run again\n" + (old.map { HelpSnapshotTests.diff($0, now) } ?? ""),
                    file: file, line: line)
            return
        }
        let refresh = "refresh with: UPSCALE_WRITE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests"
        guard let old else {
            XCTFail("no snapshot \(name) for '\(command)'; \(refresh)", file: file, line: line)
            return
        }
        XCTFail("'\(command)' differs from Snapshots/\(name) (- snapshot, + now):\n"
                + HelpSnapshotTests.diff(old, now) + "\n\(refresh)", file: file, line: line)
    }

    /// A unified-style line diff of `old` and `new` (longest common subsequence), two lines of context.
    static func diff(_ old: String, _ new: String) -> String {
        let a = old.components(separatedBy: "\n"), b = new.components(separatedBy: "\n")
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(mark: Character, text: String, line: Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append((" ", a[i], i + 1)); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(("-", a[i], i + 1)); i += 1
            } else {
                ops.append(("+", b[j], i + 1)); j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].mark != " " }
        var out: [String] = [], last = -1
        for k in changed {
            let from = max(k - 2, last + 1), to = min(k + 2, ops.count - 1)
            guard from <= to else { continue }
            if from > last + 1 { out.append("@@ line \(ops[from].line) @@") }
            for m in from...to where m > last { out.append("\(ops[m].mark)\(ops[m].text)") }
            last = max(last, to)
        }
        return out.joined(separator: "\n")
    }
}
