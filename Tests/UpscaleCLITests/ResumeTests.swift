import Foundation
import XCTest

/// Resumable video (issue 17): runs killed with SIGKILL at several points, a damaged segment, a
/// full disk and a changed setting resume to the same file as an uninterrupted run; a second
/// process on the same output and an unwritable work folder are refused with one line.
final class ResumeTests: XCTestCase {
    /// 2 s at 25 fps with a keyframe every 10 frames: five segments at 0.4 s.
    let clip = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/gop10.mp4").path
    let segmenting = ["--segment-seconds", "0.4", "--progress", "none"]

    func run(_ out: String, _ extra: [String] = [], fault: String? = nil, timeout: TimeInterval = 300,
             line: UInt = #line) throws -> CLIRunner.Result {
        try CLIRunner.run([clip, "-o", out] + segmenting + extra, environment: fault.map { ["UPSCALE_TEST_FAULT": $0] } ?? [:],
                          timeout: timeout, line: line)
    }

    func workFolder(_ out: String) -> String {
        let u = URL(fileURLWithPath: out)
        return u.deletingLastPathComponent().appendingPathComponent(".\(u.lastPathComponent).upscale").path
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// The reference: one uninterrupted segmented run.
    func reference(in dir: URL) throws -> Data {
        let ref = dir.appendingPathComponent("ref.mp4").path
        let r = try run(ref)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder(ref)), "work folder removed after success")
        return try XCTUnwrap(bytes(ref))
    }

    func testKilledThreeTimesResumesToTheUninterruptedFile() throws {
        let dir = try CLIRunner.tempDir()
        let expected = try reference(in: dir)
        let out = dir.appendingPathComponent("k.mp4").path
        // During segment 3, right after segment 2 is recorded, and during the join.
        for (fault, segments) in [("kill:segment:2:3", 2), ("kill:done:3", 4), ("kill:join:20", 5)] {
            let r = try run(out, fault: fault)
            XCTAssertEqual(r.status, 9, "\(fault): killed by SIGKILL: \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(fault): no output yet")
            let manifest = try String(contentsOfFile: workFolder(out) + "/manifest.json", encoding: .utf8)
            XCTAssertEqual(manifest.components(separatedBy: "\"headers\"").count - 1, segments, "\(fault): \(manifest)")
        }
        let r = try run(out, ["--progress", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming: 5 of 5 segments (50 frames)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\"resumed_frames\":50"), r.stderr)
        XCTAssertTrue(r.stderr.contains("5 of 5 segments reused"), r.stderr)
        XCTAssertEqual(bytes(out), expected, "the resumed file equals the uninterrupted one")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workFolder(out)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["k.mp4", "ref.mp4"], "no partial files left")
    }

    func testTemporalReuseStartsAfreshAtSegmentsSoAResumeEqualsOneRun() throws {
        // A static camera with a moving patch (a closed GOP every 12 frames: four segments at 0.5 s),
        // the default model and --reuse auto: most tiles are reused, within and across segments
        // when nothing stops the run, but each segment starts with a whole frame.
        let clip = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/reuse-static.mp4").path
        let dir = try CLIRunner.tempDir()
        let args = ["--segment-seconds", "0.5", "--progress", "none"]
        let ref = dir.appendingPathComponent("ref.mp4").path, out = dir.appendingPathComponent("k.mp4").path
        let r = try CLIRunner.run([clip, "-o", ref] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let percent = try XCTUnwrap(r.stderr.range(of: #"recomputed [0-9.]+% of tiles"#, options: .regularExpression).map { r.stderr[$0] })
        XCTAssertLessThan(try XCTUnwrap(Double(percent.split(separator: " ")[1].dropLast())), 50, r.stderr)
        let killed = try CLIRunner.run([clip, "-o", out] + args, environment: ["UPSCALE_TEST_FAULT": "kill:done:2"])
        XCTAssertEqual(killed.status, 9, killed.stderr)
        let resumed = try CLIRunner.run([clip, "-o", out] + args)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("3 of 4 segments reused"), resumed.stderr)
        XCTAssertEqual(bytes(out), bytes(ref), "the resumed file equals the uninterrupted one")
    }

    func testOnePassAndSegmentsKeepEveryFrameAndTimestamp() throws {
        let dir = try CLIRunner.tempDir()
        let seg = dir.appendingPathComponent("s.mkv").path, one = dir.appendingPathComponent("o.mkv").path
        XCTAssertEqual(try run(seg).status, 0)
        XCTAssertEqual(try run(one, ["--no-resume"]).status, 0)
        let input = try timestamps(clip), a = try timestamps(seg), b = try timestamps(one)
        XCTAssertEqual(a.video.count, 50)
        XCTAssertEqual(a.video, b.video, "same video timestamps as one pass")
        XCTAssertEqual(a.audio, b.audio, "audio copied the same")
        XCTAssertEqual(a.video.count, input.video.count)
    }

    func testAV1ResumesAndNeverHangs() throws {
        // SVT-AV1 hangs freeing an encoder that saw no frame: killed mid-run, fully resumed
        // (no segment left to encode) and one pass must all end.
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("a.mkv").path
        let av1 = ["--codec", "libsvtav1", "--encoder-preset", "12", "--model", "bicubic"]
        XCTAssertEqual(try run(out, av1, fault: "kill:done:2").status, 9)
        let r = try run(out, av1, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming: 3 of 5 segments"), r.stderr)
        XCTAssertEqual(try timestamps(out).video.count, 50)
        XCTAssertEqual(try run(out, av1 + ["-y"], fault: "kill:join:10").status, 9)
        let full = try run(out, av1 + ["-y"], timeout: 120)
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.stderr.contains("resuming: 5 of 5 segments"), full.stderr)
        XCTAssertEqual(try run(out, av1 + ["-y", "--no-resume"], timeout: 120).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.mkv"])
    }

    func testDamagedSegmentIsRedone() throws {
        let dir = try CLIRunner.tempDir()
        let expected = try reference(in: dir)
        let out = dir.appendingPathComponent("d.mp4").path
        XCTAssertEqual(try run(out, fault: "kill:done:2").status, 9)
        let segment = workFolder(out) + "/00001.upseg"
        var data = try XCTUnwrap(bytes(segment))
        data[data.count / 2] ^= 0xff
        try data.write(to: URL(fileURLWithPath: segment))
        let r = try run(out)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("segment 2 of 5"), r.stderr)
        XCTAssertTrue(r.stderr.contains("damaged; redoing it"), r.stderr)
        XCTAssertEqual(bytes(out), expected)
    }

    func testFullDiskKeepsFinishedSegmentsAndTheRerunCompletes() throws {
        let dir = try CLIRunner.tempDir()
        let expected = try reference(in: dir)
        let out = dir.appendingPathComponent("f.mp4").path
        for (fault, kept) in [("enospc:segment:2:4", "2 of 5 segments are kept"), ("enospc:join:30", "5 of 5 segments are kept")] {
            let r = try run(out, fault: fault)
            XCTAssertEqual(r.status, 2, "\(fault): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
            XCTAssertTrue(r.stderr.contains(kept), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").filter { !$0.hasPrefix("resuming") }.count, 1, "one line: \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
        XCTAssertEqual(try run(out).status, 0)
        XCTAssertEqual(bytes(out), expected)
    }

    func testChangedSettingIsRefusedUntilRestart() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("c.mp4").path
        XCTAssertEqual(try run(out, fault: "kill:done:1").status, 9)
        let r = try run(out, ["--crf", "35"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot be resumed: the setting 'crf' changed (30 -> 35)") || r.stderr.contains("the setting 'crf' changed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--restart"), r.stderr)
        let again = try run(out, ["--crf", "35", "--restart"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("resuming"), again.stderr)
    }

    func testSecondRunOnTheSameOutputIsRefused() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("b.mp4").path
        let p = Process()
        p.executableURL = CLIRunner.productsDirectory.appendingPathComponent("upscale")
        p.arguments = [clip, "-o", out, "--model", "bicubic", "--scale", "4", "--threads", "1", "--progress", "none",
                       "--encoder-preset", "veryslow"] + segmenting
        p.standardError = Pipe()
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !FileManager.default.fileExists(atPath: workFolder(out) + "/manifest.json") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let r = try run(out, ["--model", "bicubic", "--scale", "4"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("is being made by another upscale run (pid \(p.processIdentifier))"), r.stderr)
    }

    func testUnwritableWorkFolderIsOneLine() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("w.mp4").path
        // A file where the work folder would go (a read-only disk fails the same call).
        try Data("x".utf8).write(to: URL(fileURLWithPath: workFolder(out)))
        let r = try run(out)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot write the work folder"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--no-resume"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(try run(out, ["--no-resume"]).status, 0, "one pass needs no work folder")
    }

    /// Video and audio packet timestamps (pts) of a file, by ffprobe.
    func timestamps(_ path: String) throws -> (video: [String], audio: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-show_entries", "frame=media_type,pts_time", "-of", "csv=p=0", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let rows = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        return (rows.filter { $0.first == "video" }.compactMap { $0.last }, rows.filter { $0.first == "audio" }.compactMap { $0.last })
    }
}
