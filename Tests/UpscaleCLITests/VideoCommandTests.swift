import Foundation
import SRMedia
import XCTest

/// `upscale IN -o OUT` as a user runs it: exit codes, one-line errors, progress, interrupts.
final class VideoCommandTests: XCTestCase {
    func clip(_ name: String) -> String { CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/\(name)").path }

    func testDefaultSubcommandUpscalesAVideo() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("x2.mkv").path
        let r = try CLIRunner.run([clip("vfr.mkv"), "-o", out, "--model", "lanczos", "--encoder-preset", "ultrafast"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("320x180"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["x2.mkv"], "no temporary files left")
        // `upscale video` is the same command.
        let again = try CLIRunner.run(["video", clip("vfr.mkv"), "-o", out, "--model", "lanczos", "-q"])
        XCTAssertEqual(again.status, 1, "exists without -y")
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
    }

    func testProgressJSONLines() throws {
        let out = try CLIRunner.tempDir().appendingPathComponent("p.mp4").path
        let r = try CLIRunner.run([clip("h264-aac.mp4"), "-o", out, "--model", "lanczos", "--progress", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertFalse(lines.isEmpty, r.stderr)
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        XCTAssertEqual(last["frame"] as? Int, 50)
        XCTAssertEqual(last["total"] as? Int, 50)
        let quiet = try CLIRunner.run([clip("h264-aac.mp4"), "-o", out, "--model", "lanczos", "-y", "-q"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stderr, "", "-q prints nothing")
    }

    func testTemporalReuseIsReportedAndChecked() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("twos.mkv").path
        // The default model on the "on twos" clip: the summary and the JSON progress say what was reused.
        let r = try CLIRunner.run([clip("reuse-twos.mp4"), "-o", out, "--progress", "json", "--encoder-preset", "ultrafast"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("reused "), r.stderr)
        XCTAssertTrue(r.stderr.contains("% of tiles"), r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(lines.last).utf8)) as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(last["reused_frames"] as? Int), 10, r.stderr)
        XCTAssertNotNil(last["tiles_recomputed_percent"] as? Double, r.stderr)
        let off = try CLIRunner.run([clip("reuse-twos.mp4"), "-o", out, "-y", "--reuse", "off", "--model", "lanczos"])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertFalse(off.stderr.contains("reused "), off.stderr)
        for (args, needle) in [(["--reuse", "sometimes"], "--reuse must be off, exact or auto"),
                               (["--reuse-threshold", "300"], "--reuse-threshold must be between 0 and 255")] {
            let bad = try CLIRunner.run([clip("reuse-twos.mp4"), "-o", out, "-y"] + args)
            XCTAssertEqual(bad.status, 1, bad.stderr)
            XCTAssertTrue(bad.stderr.contains(needle), bad.stderr)
            XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        }
    }

    func testDryRunAndPreview() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("d.mp4").path
        let dry = try CLIRunner.run([clip("reuse-static.mp4"), "-o", out, "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("plan: upscale-real-x2 to 640x360 libx264"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("for 48 frames"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("peak memory about"), dry.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "a dry run writes nothing")
        let json = try CLIRunner.run([clip("reuse-static.mp4"), "-o", out, "--dry-run", "--progress", "json"])
        let event = try XCTUnwrap(json.stderr.split(separator: "\n").first { $0.hasPrefix("{") })
        let fields = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
        XCTAssertEqual(fields["event"] as? String, "estimate")
        XCTAssertNotNil(fields["predicted_s"] as? Double, json.stderr)
        let png = dir.appendingPathComponent("p.png").path
        let preview = try CLIRunner.run(["preview", clip("reuse-twos.mp4"), "--at", "1.5", "-o", png])
        XCTAssertEqual(preview.status, 0, preview.stderr)
        XCTAssertTrue(preview.stderr.contains("5 panels of 320x240 from frame at 1.50 s"), preview.stderr)
        XCTAssertTrue(preview.stderr.contains("upscale-real-x2:"), preview.stderr)
        XCTAssertTrue(preview.stderr.contains("for 48 frames"), preview.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
        let again = try CLIRunner.run(["preview", clip("reuse-twos.mp4"), "-o", png])
        XCTAssertEqual(again.status, 1, "exists without -y")
        // A batch dry run: one plan line per video, a total, nothing written.
        let batchOut = dir.appendingPathComponent("batch-out").path
        let batch = try CLIRunner.run(["batch", clip("reuse-static.mp4"), clip("reuse-pan.mp4"), "-o", batchOut, "--dry-run"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        XCTAssertEqual(batch.stderr.components(separatedBy: "plan: upscale-real-x2").count - 1, 2, batch.stderr)
        XCTAssertTrue(batch.stderr.contains("for 2 videos with 1 job at once"), batch.stderr)
        XCTAssertTrue(batch.stdout.contains("0 done, 2 planned, 0 skipped, 0 failed"), batch.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: batchOut), "a dry run creates nothing")
        let bad = try CLIRunner.run(["preview", clip("reuse-twos.mp4"), "-o", png, "-y", "--models", "nonsense-model"])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
    }

    func testBadInputsGiveOneLineAndExitOne() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("o.mp4").path
        let notMedia = dir.appendingPathComponent("notes.mp4").path
        try Data("just text\n".utf8).write(to: URL(fileURLWithPath: notMedia))
        let cases: [([String], String)] = [
            ([dir.appendingPathComponent("missing.mp4").path, "-o", out], "No such file"),
            ([notMedia, "-o", out], "not a media file"),
            ([clip("audio-only.m4a"), "-o", out], "no video stream"),
            ([clip("no-frames.mp4"), "-o", out], "no decodable frames"),
            ([clip("h264-aac.mp4"), "-o", clip("h264-aac.mp4")], "is the input file"),
            ([clip("h264-aac.mp4"), "-o", dir.appendingPathComponent("o.avi").path], "unknown container"),
            ([clip("h264-aac.mp4"), "-o", out, "--codec", "nosuch"], "no such video encoder"),
            ([clip("h264-aac.mp4"), "-o", out, "--encoder-opt", "novalue"], "key=value"),
            ([clip("h264-aac.mp4"), "-o", out, "--progress", "loud"], "--progress"),
        ]
        for (args, expected) in cases {
            let r = try CLIRunner.run(args + ["--model", "lanczos"])
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["notes.mp4"], "nothing written")
    }

    /// An mp4 whose AAC priming packet (before 0 s) is damaged: Matroska reads that packet back
    /// without a timestamp; the audit no longer throws the correct mkv away (issue 22, case 5).
    func testDamagedAudioToMatroskaPassesTheAudit() throws {
        let dir = try CLIRunner.tempDir()
        for ext in ["mkv", "mp4"] {
            let out = dir.appendingPathComponent("d.\(ext)").path
            let r = try CLIRunner.run([clip("damaged-audio.mp4"), "-o", out, "--model", "lanczos", "--encoder-preset", "ultrafast"])
            XCTAssertEqual(r.status, 0, "\(ext): \(r.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out), ext)
            if ext == "mkv" { XCTAssertTrue(r.stderr.contains("without a timestamp"), r.stderr) }
        }
    }

    func testStrictCorruptInputIsAProcessingError() throws {
        let dir = try CLIRunner.tempDir()
        let r = try CLIRunner.run([clip("corrupt.ts"), "-o", dir.appendingPathComponent("c.mkv").path,
                                   "--model", "lanczos", "--strict", "-q"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("corrupt"), r.stderr)
        // No output; the segments finished before the damage stay in the work folder for a resume.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(names.filter { $0 != ".c.mkv.upscale" }, [])
        if !names.isEmpty { XCTAssertTrue(r.stderr.contains(".c.mkv.upscale"), r.stderr) }
    }

    func testInterruptLeavesNoOutput() throws {
        try interrupt(with: SIGINT)
    }

    /// A closed terminal (SIGHUP) cleans up like Ctrl-C (issue 22, case 7).
    func testHangupLeavesNoOutput() throws {
        try interrupt(with: SIGHUP)
    }

    func interrupt(with sig: Int32) throws {
        let dir = try CLIRunner.tempDir()
        let p = Process()
        p.executableURL = CLIRunner.productsDirectory.appendingPathComponent("upscale")
        // Bicubic at x4 with one thread and 1-frame queues: slow enough to interrupt mid-run.
        p.arguments = [clip("h264-aac.mp4"), "-o", dir.appendingPathComponent("i.mp4").path, "--model", "bicubic",
                       "--scale", "4", "--threads", "1", "--progress", "json", "--encoder-preset", "veryslow"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        // Wait until the output file exists (the header is written), then interrupt.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path), !names.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(p.processIdentifier, sig)
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted"), stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "partial output removed")
    }

    /// An output that appears while the run works (another run) is not replaced without -y: it is
    /// kept, the result is saved beside it under a clear name, exit 1 (issue 22, case 2).
    func testOutputAppearingMidRunIsKept() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("v.mp4").path
        let p = Process()
        p.executableURL = CLIRunner.productsDirectory.appendingPathComponent("upscale")
        p.arguments = [clip("h264-aac.mp4"), "-o", out, "--model", "bicubic", "--scale", "4", "--threads", "1",
                       "--progress", "none", "--encoder-preset", "veryslow", "--no-resume"]
        // (One pass: its temporary output exists for the whole run; a segmented run creates it
        // only for the short join at the end, too short to write into reliably.)
        let err = Pipe()
        p.standardError = err
        try p.run()
        // Once the temporary output exists the up-front check has passed: now the "other run" writes.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path), names.contains(where: { $0.contains("partial") }) { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try Data("someone else's".utf8).write(to: URL(fileURLWithPath: out))
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("appeared while upscaling"), stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "someone else's", "the other file is intact")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let kept = names.filter { $0.hasPrefix("v.upscale-") && $0.hasSuffix(".mp4") }
        XCTAssertEqual(kept.count, 1, "\(names)")
        guard let keptName = kept.first else { return }
        XCTAssertTrue(stderr.contains(keptName), stderr)
        let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(keptName).path)[.size] as? Int
        XCTAssertGreaterThan(size ?? 0, 1000)
    }

    /// One clear line for each (issue 22, case 8): --crf out of range or negative, an existing
    /// folder as an image output, a huge model name, a codec .webm cannot hold; .webm defaults to VP9.
    func testMessagesNameTheProblem() throws {
        let dir = try CLIRunner.tempDir()
        let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path
        let cases: [([String], String)] = [
            ([clip("h264-aac.mp4"), "-o", dir.appendingPathComponent("a.mp4").path, "--crf", "-5"], "--crf must be 0...63 (got -5)"),
            ([clip("h264-aac.mp4"), "-o", dir.appendingPathComponent("a.mp4").path, "--crf", "99"], "--crf must be 0...63 (got 99)"),
            (["image", photo, "-o", dir.path, "-y", "--model", "lanczos"], "is a folder: give the output a file name"),
            (["image", photo, "-o", dir.appendingPathComponent("b.png").path, "--model", String(repeating: "m", count: 100_000)],
             "... (100000 characters)"),
            ([clip("h264-aac.mp4"), "-o", dir.appendingPathComponent("c.webm").path, "--model", "lanczos", "--codec", "libx264"],
             "a .webm file holds VP8, VP9 or AV1 video: use --codec libvpx-vp9"),
        ]
        for (args, message) in cases {
            let r = try CLIRunner.run(args)
            XCTAssertEqual(r.status, 1, "\(args.suffix(2)): \(r.stderr.prefix(300))")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, String(r.stderr.prefix(300)))
            XCTAssertLessThan(r.stderr.count, 400, "no huge echo")
            XCTAssertTrue(r.stderr.contains(message), String(r.stderr.prefix(300)))
        }
        let webm = dir.appendingPathComponent("d.webm").path
        let r = try CLIRunner.run([clip("h264-aac.mp4"), "-o", webm, "--model", "lanczos", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try MediaSummary.read(webm).streams.first?.codec, "vp9")
    }
}
