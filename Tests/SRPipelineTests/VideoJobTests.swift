import Foundation
import SRMedia
import SRPipeline
import XCTest

/// End to end on every fixture clip: layout, frames, timestamps, sizes, copied packets, tags,
/// chapters, rotation, aspect, colour and HDR data, and the failure paths.
final class VideoJobTests: XCTestCase {
    static let clips = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/clips")

    func clip(_ name: String) -> String { Self.clips.appendingPathComponent(name).path }

    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a job with lanczos (fast: these tests are about the pipeline, not the model).
    @discardableResult
    func run(_ input: String, _ output: String, model: String = "lanczos",
             configure: (inout VideoJobConfig) -> Void = { _ in }) throws -> VideoJobResult {
        var config = VideoJobConfig(input: input, output: output)
        config.model = model
        config.progress = .none
        config.encoder = EncoderSettings(codec: "libx264", preset: "ultrafast")
        configure(&config)
        return try VideoJob.run(config)
    }

    /// The checks every fixture must pass: same streams, frames, timestamps, audio bytes, tags.
    func assertKept(_ input: String, _ output: String, scale: Int = 2, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try MediaSummary.read(input), b = try MediaSummary.read(output)
        let kinds = b.streams.filter { !($0.kind == .data && $0.codec == "bin_data") }.map(\.kind)
        XCTAssertEqual(kinds, a.streams.map(\.kind), "stream layout", file: file, line: line)
        let av = try XCTUnwrap(a.video), bv = try XCTUnwrap(b.video)
        XCTAssertEqual(bv.packets, av.packets, "frame count", file: file, line: line)
        XCTAssertEqual(bv.times.count, av.times.count, file: file, line: line)
        let tick = 1 / Double(min(av.timeBase.den, bv.timeBase.den))
        for (x, y) in zip(av.times, bv.times) where abs(x - y) > tick {
            XCTFail("pts \(y) s, input \(x) s", file: file, line: line)
            break
        }
        XCTAssertEqual(bv.width, av.width * scale, file: file, line: line)
        XCTAssertEqual(bv.height, av.height * scale, file: file, line: line)
        for (i, o) in zip(a.streams, b.streams) where i.kind == .audio {
            XCTAssertEqual(o.packetHashes, i.packetHashes, "audio packets byte-identical", file: file, line: line)
            // "und" (undetermined) is what a missing language tag means; containers differ in writing it.
            XCTAssertEqual(o.tags["language"] ?? "und", i.tags["language"] ?? "und", file: file, line: line)
        }
        XCTAssertEqual(b.chapters.map(\.title), a.chapters.map(\.title), "chapters", file: file, line: line)
        for (x, y) in zip(a.chapters, b.chapters) {
            XCTAssertEqual(x.start, y.start, accuracy: 0.001, file: file, line: line)
            XCTAssertEqual(x.end, y.end, accuracy: 0.001, file: file, line: line)
        }
    }

    func testH264AACMP4() throws {
        let out = try tempDir().appendingPathComponent("out.mp4").path
        let r = try run(clip("h264-aac.mp4"), out)
        XCTAssertEqual(r.frames, 50)
        try assertKept(clip("h264-aac.mp4"), out)
        let s = try MediaSummary.read(out)
        XCTAssertEqual(s.tags["title"], "upscale fixture")
        XCTAssertEqual(s.tags["comment"], "pan and zoom over Garden.jpg")
        XCTAssertEqual(s.video?.colorMatrix, "bt709")
        XCTAssertEqual(s.video?.pixelFormat, "yuv420p", "8-bit stays 8-bit")
    }

    func testVariableFrameRateStaysVariable() throws {
        let out = try tempDir().appendingPathComponent("vfr.mkv").path
        try run(clip("vfr.mkv"), out)
        try assertKept(clip("vfr.mkv"), out)
        let t = try XCTUnwrap(try MediaSummary.read(out).video).times
        let gaps = Set(zip(t.dropFirst(), t).map { Int((($0 - $1) * 1000).rounded()) })
        XCTAssertEqual(gaps, [40, 80], "frame gaps of 40 and 80 ms kept")
    }

    func testTenBitHEVCWithHDRStaysTenBit() throws {
        let dir = try tempDir()
        for codec in ["libx265", "libx264"] {
            let out = dir.appendingPathComponent("\(codec).mkv").path
            try run(clip("hevc-10bit.mkv"), out) { $0.encoder = EncoderSettings(codec: codec, preset: "ultrafast") }
            try assertKept(clip("hevc-10bit.mkv"), out)
            let v = try XCTUnwrap(try MediaSummary.read(out).video)
            XCTAssertEqual(v.pixelFormat, "yuv420p10le", codec)
            XCTAssertEqual(v.colorPrimaries, "bt2020")
            XCTAssertEqual(v.colorTransfer, "smpte2084")
            XCTAssertEqual(v.colorMatrix, "bt2020nc")
            XCTAssertTrue(v.hasMasteringDisplay && v.hasContentLight, "HDR10 mastering and light levels kept")
            XCTAssertEqual(try XCTUnwrap(v.startTime), 1.5, accuracy: 0.002, "nonzero start kept")
        }
    }

    func testRotationAndAspectKept() throws {
        let out = try tempDir().appendingPathComponent("rot.mov").path
        try run(clip("rotated.mp4"), out)
        try assertKept(clip("rotated.mp4"), out)
        let v = try XCTUnwrap(try MediaSummary.read(out).video)
        XCTAssertEqual(abs(v.rotation), 90)
        XCTAssertEqual(v.sampleAspect, Rational(4, 3))
    }

    func testSubtitlesAndChaptersKeptOrConverted() throws {
        let dir = try tempDir()
        let mkv = dir.appendingPathComponent("subs.mkv").path
        try run(clip("subs-chapters.mkv"), mkv)
        try assertKept(clip("subs-chapters.mkv"), mkv)
        let a = try MediaSummary.read(clip("subs-chapters.mkv")), b = try MediaSummary.read(mkv)
        for (i, o) in zip(a.streams, b.streams) where i.kind == .subtitle {
            XCTAssertEqual(o.packetHashes, i.packetHashes, "subtitles copied byte for byte into mkv")
            XCTAssertEqual(o.tags["language"], i.tags["language"])
            XCTAssertEqual(o.disposition, i.disposition)
        }
        // mp4 cannot hold SubRip: converted to mov_text, languages kept.
        let mp4 = dir.appendingPathComponent("subs.mp4").path
        try run(clip("subs-chapters.mkv"), mp4)
        try assertKept(clip("subs-chapters.mkv"), mp4)
        let m = try MediaSummary.read(mp4).streams.filter { $0.kind == .subtitle }
        XCTAssertEqual(m.map(\.codec), ["mov_text", "mov_text"])
        XCTAssertEqual(m.map { $0.tags["language"] }, ["eng", "fra"])
    }

    func testTruncatedAndCorruptInputsAreProcessed() throws {
        let dir = try tempDir()
        let t = dir.appendingPathComponent("t.mkv").path
        let r = try run(clip("truncated.mkv"), t)
        XCTAssertGreaterThan(r.frames, 10)
        try assertKept(clip("truncated.mkv"), t)
        let c = dir.appendingPathComponent("c.mkv").path
        try run(clip("corrupt.ts"), c)
        XCTAssertEqual(try MediaSummary.read(c).video?.packets, try MediaSummary.read(clip("corrupt.ts")).video?.packets)
        // --strict makes damage fatal: no output; segments finished before the damage are kept
        // in the work folder for a resume, and the error names it.
        let s = dir.appendingPathComponent("s.mkv").path
        var message = ""
        XCTAssertThrowsError(try run(clip("corrupt.ts"), s) { $0.strict = true }) { e in
            message = "\(e)"
            XCTAssertTrue(message.contains("corrupt data"), message)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names.filter { $0 != ".s.mkv.upscale" }, ["c.mkv", "t.mkv"])
        if names.contains(".s.mkv.upscale") { XCTAssertTrue(message.contains(".s.mkv.upscale"), message) }
    }

    func testSizesAndOddDimensions() throws {
        let dir = try tempDir()
        let out = dir.appendingPathComponent("odd.mp4").path
        let r = try run(clip("h264-aac.mp4"), out) { $0.width = 301; $0.height = 171 }
        XCTAssertEqual(r.outputSize.width, 301)
        let v = try XCTUnwrap(try MediaSummary.read(out).video)
        XCTAssertEqual([v.width, v.height], [302, 172], "odd 4:2:0 size padded by one")
        let h = dir.appendingPathComponent("h.mkv").path
        let rh = try run(clip("h264-aac.mp4"), h) { $0.height = 270 }
        XCTAssertEqual([rh.outputSize.width, rh.outputSize.height], [480, 270], "width follows the aspect")
        XCTAssertThrowsError(try run(clip("h264-aac.mp4"), dir.appendingPathComponent("big.mp4").path) {
            $0.width = 5120; $0.height = 2880
        }) { e in XCTAssertTrue("\(e)".contains("16x"), "\(e)") }
    }

    func testEncoderRefusalsComeBeforeAnyOutput() throws {
        let dir = try tempDir()
        let out = dir.appendingPathComponent("o.mp4").path
        XCTAssertThrowsError(try run(clip("h264-aac.mp4"), out) { $0.encoder = EncoderSettings(codec: "nosuchcodec") })
        XCTAssertThrowsError(try run(clip("h264-aac.mp4"), out) {
            $0.encoder = EncoderSettings(codec: "libx264", options: [(key: "nosuchoption", value: "1")])
        }) { e in XCTAssertTrue("\(e)".contains("nosuchoption"), "\(e)") }
        XCTAssertThrowsError(try run(clip("h264-aac.mp4"), out) { $0.encoder = EncoderSettings(codec: "libx264", pixelFormat: "rgb48le") })
        XCTAssertThrowsError(try EncoderSettings(codec: "libx264").checkSize(width: 10240, height: 5760)) { e in
            XCTAssertTrue("\(e)".contains("level 6.2"), "\(e)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testCancelLeavesNothing() throws {
        let dir = try tempDir()
        let cancel = CancelFlag()
        cancel.cancel()
        var config = VideoJobConfig(input: clip("h264-aac.mp4"), output: dir.appendingPathComponent("x.mp4").path)
        config.model = "lanczos"
        config.progress = .none
        XCTAssertThrowsError(try VideoJob.run(config, cancel: cancel)) { e in
            XCTAssertEqual((e as? PipelineError)?.exitCode, 130)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testOtherCodecsAndContainers() throws {
        let dir = try tempDir()
        for (codec, ext, fmt) in [("libvpx-vp9", "webm", "yuv420p"), ("libsvtav1", "mkv", "yuv420p"),
                                  ("ffv1", "mkv", "yuv420p"), ("prores_ks", "mov", "yuv422p10le")] {
            let out = dir.appendingPathComponent("\(codec).\(ext)").path
            try run(clip("rotated.mp4"), out) { $0.encoder = EncoderSettings(codec: codec, preset: codec == "libsvtav1" ? "12" : nil) }
            let v = try XCTUnwrap(try MediaSummary.read(out).video)
            XCTAssertEqual(v.pixelFormat, fmt, codec)
            XCTAssertEqual(v.packets, 25, codec)
        }
    }

    func testDefaultNeuralModelEndToEnd() throws {
        guard FileManager.default.fileExists(atPath: (ProcessInfo.processInfo.environment["UPSCALE_MODELS"]
            ?? NSHomeDirectory() + "/.cache/upscale/models") + "/realesr-animevideov3-x2.param") else {
            throw XCTSkip("models not installed: run make models")
        }
        let out = try tempDir().appendingPathComponent("neural.mkv").path
        let r = try run(clip("rotated.mp4"), out, model: "realesr-animevideov3")
        XCTAssertEqual(r.plan, "realesr-animevideov3-x2")
        try assertKept(clip("rotated.mp4"), out)
    }
}
