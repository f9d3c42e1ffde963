import Foundation
import SRMedia
import SRPipeline
import SRTensor
import XCTest

/// Frame folders: natural order, every format, depth, alpha and gray kept, resume, and the
/// video <-> frames paths.
final class FramesJobTests: XCTestCase {
    func tempDir() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-frames-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A smooth 3-channel picture of `w x h` that differs per `seed`.
    func picture(_ w: Int, _ h: Int, seed: Int) -> Tensor {
        var t = Tensor(c: 3, h: h, w: w)
        for c in 0..<3 { for y in 0..<h { for x in 0..<w {
            t[c, y, x] = 0.5 + 0.4 * sinf(Float(x * (c + 1) + seed) * 0.3) * cosf(Float(y + seed * c) * 0.2)
        } } }
        return t
    }

    func testNaturalOrder() {
        let names = ["frame10.png", "Frame2.png", "frame1.png", "frame02b.png", "a.png", "frame001.png", "frame100.png"]
        XCTAssertEqual(names.sorted(by: NaturalOrder.less),
                       ["a.png", "frame001.png", "frame1.png", "Frame2.png", "frame02b.png", "frame10.png", "frame100.png"])
    }

    /// Mixed formats and cases, 16-bit, alpha and gray: each output keeps its stem, format and kind.
    func testFolderOfMixedFramesKeepsDepthAlphaAndGray() throws {
        let dir = try tempDir(), out = try tempDir() + "/up"
        var gray = picture(12, 10, seed: 3)
        for c in 1..<3 { for i in 0..<120 { gray.data[c * 120 + i] = gray.data[i] } }
        var alpha = Tensor(c: 1, h: 10, w: 12)
        for i in 0..<120 { alpha.data[i] = Float(i % 12) / 11 }
        let images: [(String, RGBImage)] = [
            ("frame1.png", RGBImage(pixels: picture(12, 10, seed: 1))),
            ("frame2.JPG", RGBImage(pixels: picture(12, 10, seed: 2))),
            ("frame10.png", RGBImage(pixels: picture(12, 10, seed: 10), alpha: alpha, bitDepth: 16)),
            ("gray.png", RGBImage(pixels: gray, isGray: true)),
            ("deep.tiff", RGBImage(pixels: picture(12, 10, seed: 4), bitDepth: 16)),
            ("pic.webp", RGBImage(pixels: picture(12, 10, seed: 5))),
            ("pic.bmp", RGBImage(pixels: picture(12, 10, seed: 6))),
        ]
        for (name, image) in images { try ImageFile.write(image, to: dir + "/" + name) }
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        XCTAssertEqual(try FrameFolder.list(dir).map { ($0 as NSString).lastPathComponent },
                       ["deep.tiff", "frame1.png", "frame2.JPG", "frame10.png", "gray.png", "pic.bmp", "pic.webp"])
        var config = FramesJobConfig(inputDir: dir, output: out)
        config.model = "bicubic"; config.progress = .none
        let r = try FramesJob.run(config)
        XCTAssertEqual(r.processed, 7)
        XCTAssertEqual(r.skipped, 0)
        for (name, image) in images {
            let got = try ImageFile.read(path: out + "/" + name)
            XCTAssertEqual(got.width, 24, name); XCTAssertEqual(got.height, 20, name)
            XCTAssertEqual(got.alpha != nil, image.alpha != nil, name)
            XCTAssertEqual(got.isGray, image.isGray, name)
            if name.hasSuffix(".png") || name.hasSuffix(".tiff") { XCTAssertEqual(got.bitDepth, image.bitDepth, name) }
        }
        // The alpha ramp survives the enlargement.
        let a = try XCTUnwrap(try ImageFile.read(path: out + "/frame10.png").alpha)
        XCTAssertLessThan(a[0, 5, 0], 0.1)
        XCTAssertGreaterThan(a[0, 5, 23], 0.9)
        // --format converts every output.
        config.output = try tempDir(); config.format = "png"
        // ... but pic.bmp and pic.webp would both become pic.png: refused, not one lost.
        XCTAssertThrowsError(try FramesJob.run(config)) { XCTAssertTrue("\($0)".contains("would both be written to 'pic.png'"), "\($0)") }
        try FileManager.default.removeItem(atPath: dir + "/pic.bmp")
        XCTAssertEqual(try FramesJob.run(config).processed, 6)
        XCTAssertTrue(FileManager.default.fileExists(atPath: config.output + "/frame2.png"))
    }

    /// A re-run skips finished frames and redoes only the missing one; --overwrite redoes all.
    func testResumeSkipsFinishedFrames() throws {
        let dir = try tempDir(), out = try tempDir()
        for i in 1...5 { try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: i)), to: dir + "/f\(i).png") }
        var config = FramesJobConfig(inputDir: dir, output: out)
        config.model = "lanczos"; config.progress = .none; config.jobs = 2
        XCTAssertEqual(try FramesJob.run(config).processed, 5)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/f3.png"))
        try FileManager.default.removeItem(atPath: out + "/f3.png")
        let again = try FramesJob.run(config)
        XCTAssertEqual(again.processed, 1)
        XCTAssertEqual(again.skipped, 4)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/f3.png")), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasSuffix(".png") }
        XCTAssertEqual(leftovers, [".upscale-frames.json"], "no temporary files left, the folder's record kept")
        config.overwrite = true
        XCTAssertEqual(try FramesJob.run(config).processed, 5)
    }

    /// x.png and x.jpg with --format png would share x.png: refused up front, nothing written
    /// (issue 22, case 4); without --format each keeps its own name.
    /// Issue 22, case 6: a frame folder records its input; another video is refused, -y takes it over.
    func testFrameFoldersNeverMixTwoVideos() throws {
        let dir = try tempDir() + "/frames/"
        func run(_ clip: String, overwrite: Bool = false) throws -> FramesJobResult {
            var c = VideoFramesConfig(input: VideoJobTests.clips.appendingPathComponent(clip).path, outputDir: dir)
            c.model = "lanczos"; c.progress = .none; c.overwrite = overwrite
            return try VideoToFrames.run(c)
        }
        XCTAssertEqual(try run("h264-aac.mp4").processed, 50)
        XCTAssertEqual(try run("h264-aac.mp4").skipped, 50, "the same input resumes")
        XCTAssertThrowsError(try run("vfr.mkv")) {
            XCTAssertTrue("\($0)".contains("holds the frames of") && "\($0)".contains("h264-aac.mp4"), "\($0)")
        }
        XCTAssertEqual(try FrameFolder.list(dir).count, 50, "nothing written by the refused run")
        let vfr = try run("vfr.mkv", overwrite: true)
        XCTAssertEqual(try FrameFolder.list(dir).count, vfr.processed, "-y: only the new video's frames are left")
        // Other settings are another folder's business too; so are images upscale did not write.
        var other = VideoFramesConfig(input: VideoJobTests.clips.appendingPathComponent("vfr.mkv").path, outputDir: dir)
        other.model = "bicubic"; other.progress = .none
        XCTAssertThrowsError(try VideoToFrames.run(other)) { XCTAssertTrue("\($0)".contains("other settings"), "\($0)") }
        let foreign = try tempDir()
        try ImageFile.write(RGBImage(pixels: picture(8, 8, seed: 1)), to: foreign + "/mine.png")
        var into = VideoFramesConfig(input: VideoJobTests.clips.appendingPathComponent("vfr.mkv").path, outputDir: foreign)
        into.model = "lanczos"; into.progress = .none
        XCTAssertThrowsError(try VideoToFrames.run(into)) { XCTAssertTrue("\($0)".contains("did not write"), "\($0)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign + "/mine.png"))
    }

    func testFramesWithOneOutputNameAreRefused() throws {
        let dir = try tempDir(), out = try tempDir() + "/o"
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 1)), to: dir + "/x.png")
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 2)), to: dir + "/x.jpg")
        var config = FramesJobConfig(inputDir: dir, output: out)
        config.model = "lanczos"; config.progress = .none; config.format = "png"
        XCTAssertThrowsError(try FramesJob.run(config)) {
            XCTAssertTrue("\($0)".contains("'x.jpg' and 'x.png' would both be written to 'x.png'")
                          || "\($0)".contains("'x.png' and 'x.jpg' would both be written to 'x.png'"), "\($0)")
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [], [])
        config.format = nil
        XCTAssertEqual(try FramesJob.run(config).processed, 2)
    }

    /// An interrupted frames run says the finished frames are kept (issue 22, case 8).
    func testInterruptedFramesRunSaysFramesAreKept() throws {
        let dir = try tempDir(), out = try tempDir() + "/o"
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 1)), to: dir + "/a.png")
        var config = FramesJobConfig(inputDir: dir, output: out)
        config.model = "lanczos"; config.progress = .none
        let cancel = CancelFlag()
        cancel.cancel()
        XCTAssertThrowsError(try FramesJob.run(config, cancel: cancel)) { e in
            XCTAssertTrue("\(e)".contains("the finished frames are kept in '\(out)'"), "\(e)")
            XCTAssertEqual((e as? PipelineError)?.exitCode, 130)
        }
    }

    /// A folder with a broken image fails with its name; frames finished before stay complete.
    func testBrokenFrameIsNamed() throws {
        let dir = try tempDir(), out = try tempDir()
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 1)), to: dir + "/a1.png")
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir + "/a2.png"))
        var config = FramesJobConfig(inputDir: dir, output: out)
        config.model = "lanczos"; config.progress = .none; config.jobs = 1
        XCTAssertThrowsError(try FramesJob.run(config)) { XCTAssertTrue("\($0)".contains("a2.png"), "\($0)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/a1.png"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/a2.png"))
    }

    /// Frames -> video at a given rate, and video -> numbered frames (10-bit input: 16-bit PNG).
    func testFramesToVideoAndBack() throws {
        let dir = try tempDir(), out = try tempDir()
        for i in 1...12 { try ImageFile.write(RGBImage(pixels: picture(16, 10, seed: i)), to: dir + "/s\(i).png") }
        var config = FramesJobConfig(inputDir: dir, output: out + "/clip.mp4")
        config.model = "lanczos"; config.progress = .none; config.fps = 24
        config.encoder = EncoderSettings(codec: "libx264", preset: "ultrafast")
        XCTAssertEqual(try FramesJob.run(config).processed, 12)
        let summary = try MediaSummary.read(out + "/clip.mp4")
        let v = try XCTUnwrap(summary.video)
        XCTAssertEqual(v.packets, 12)
        XCTAssertEqual(v.width, 32); XCTAssertEqual(v.height, 20)
        XCTAssertEqual(v.times.last ?? 0, 11.0 / 24, accuracy: 1e-3)

        var back = VideoFramesConfig(input: out + "/clip.mp4", outputDir: out + "/frames/")
        back.model = "lanczos"; back.progress = .none
        XCTAssertEqual(try VideoToFrames.run(back).processed, 12)
        let names = try FileManager.default.contentsOfDirectory(atPath: out + "/frames").sorted().filter { $0 != ".upscale-frames.json" }
        XCTAssertEqual(names.first, "00000001.png"); XCTAssertEqual(names.last, "00000012.png")
        XCTAssertEqual(try ImageFile.read(path: out + "/frames/00000001.png").width, 64)
        XCTAssertEqual(try VideoToFrames.run(back).skipped, 12, "a re-run resumes")

        let hdr = VideoJobTests.clips.appendingPathComponent("hevc-10bit.mkv").path
        var deep = VideoFramesConfig(input: hdr, outputDir: out + "/deep")
        deep.model = "lanczos"; deep.progress = .none
        XCTAssertGreaterThan(try VideoToFrames.run(deep).processed, 0)
        XCTAssertEqual(try ImageFile.read(path: out + "/deep/00000001.png").bitDepth, 16)
    }

    /// A batch with one corrupt input: the others finish, the failure is named, a re-run skips.
    func testBatchSurvivesABadFile() throws {
        let dir = try tempDir(), out = dir + "/out"
        let good = VideoJobTests.clips.appendingPathComponent("h264-aac.mp4").path
        try FileManager.default.copyItem(atPath: good, toPath: dir + "/a.mp4")
        try Data(try Data(contentsOf: URL(fileURLWithPath: good)).prefix(2000)).write(to: URL(fileURLWithPath: dir + "/b.mp4"))
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 1)), to: dir + "/c.png")
        let inputs = try BatchInputs.expand([dir], recursive: false)
        XCTAssertEqual(inputs.map { ($0 as NSString).lastPathComponent }, ["a.mp4", "b.mp4", "c.png"])
        var config = BatchJobConfig(inputs: inputs)
        config.outputDir = out; config.model = "lanczos"; config.jobs = 2
        config.encoder = EncoderSettings(codec: "libx264", preset: "ultrafast")
        let items = try BatchJob.run(config)
        XCTAssertEqual(items.map(\.status), [.done, .failed, .done])
        XCTAssertTrue(items[1].error?.contains("b.mp4") ?? false, items[1].error ?? "")
        XCTAssertEqual(items[0].frames, 50)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/a_x2.mp4"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/c_x2.png"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/b_x2.mp4"))
        try BatchJob.writeReport(items, to: out + "/report.json")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any]
        XCTAssertEqual(report?["failed"] as? Int, 1)
        let again = try BatchJob.run(config)
        XCTAssertEqual(again.map(\.status), [.skipped, .failed, .skipped])
    }

    func testBatchNamesAreCheckedUpFront() throws {
        XCTAssertThrowsError(try OutputNamer(template: "{stem}_{size}.{ext}")) { XCTAssertTrue("\($0)".contains("{size}")) }
        XCTAssertThrowsError(try OutputNamer(template: "out.{ext}")) { XCTAssertTrue("\($0)".contains("{stem}")) }
        XCTAssertEqual(try OutputNamer(template: "{stem}_x{scale}.{ext}").name(for: "/a/clip.mkv", scale: "2", model: "m"), "clip_x2.mkv")
        let dir = try tempDir()
        try Data().write(to: URL(fileURLWithPath: dir + "/x.mp4"))
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: dir + "/sub/x.mp4"))
        var config = BatchJobConfig(inputs: try BatchInputs.expand([dir], recursive: true))
        XCTAssertEqual(config.inputs.count, 2)
        config.outputDir = dir + "/o"; config.model = "lanczos"
        XCTAssertThrowsError(try BatchJob.run(config)) { XCTAssertTrue("\($0)".contains("--name"), "\($0)") }
        XCTAssertEqual(try BatchInputs.expand([dir + "/*.mp4"], recursive: false).count, 1)
        XCTAssertThrowsError(try BatchInputs.expand([dir + "/*.mov"], recursive: false))
    }

    /// Without -o, outputs land beside their inputs; a re-run (or a third) does not take them as
    /// inputs (issue 22, case 3), and a template that would write over the input is refused.
    func testBatchNeverUpscalesItsOwnOutputs() throws {
        let dir = try tempDir()
        try ImageFile.write(RGBImage(pixels: picture(10, 8, seed: 2)), to: dir + "/p.png")
        for run in 1...3 {
            var config = BatchJobConfig(inputs: try BatchInputs.expand([dir], recursive: false))
            config.model = "lanczos"
            let said = SRTensor.Locked([String]())
            let items = try BatchJob.run(config, notes: { line in said.withLock { $0.append(line) } })
            XCTAssertEqual(items.map(\.file).map { ($0 as NSString).lastPathComponent }, ["p.png"], "run \(run)")
            XCTAssertEqual(items.map(\.status), [run == 1 ? .done : .skipped])
            if run > 1 { XCTAssertTrue(said.current.contains { $0.contains("p_x2.png: left out, it is the output of p.png") }, "\(said.current)") }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(names, ["p.png", "p_x2.png"])
        var over = BatchJobConfig(inputs: [dir + "/p.png"])
        over.model = "lanczos"; over.name = "{name}"
        XCTAssertThrowsError(try BatchJob.run(over)) { XCTAssertTrue("\($0)".contains("written over itself"), "\($0)") }
    }
}
