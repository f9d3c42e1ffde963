import Foundation
import SRMedia
import SRTensor
import XCTest

final class ImageCommandTests: XCTestCase {
    let fixture = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path

    func testVersionAndHelp() throws {
        let v = try CLIRunner.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.contains("0.1.0"))
        let h = try CLIRunner.run(["image", "--help"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.stdout.contains("Examples"), h.stdout)
    }

    func testLanczosWritesExactSize() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("big.png").path
        let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "lanczos", "--scale", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let img = try ImageFile.read(path: out)
        XCTAssertEqual(img.width, 288)
        XCTAssertEqual(img.height, 192)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(leftovers, ["big.png"], "no temporary files left behind")
    }

    /// The first run on a machine where `make models` never ran: the built-in model, no fetch.
    func testDefaultModelIsBuiltInAndNeedsNoModelsFolder() throws {
        let dir = try CLIRunner.tempDir()
        let none = ["UPSCALE_MODELS": dir.path + "/none"]
        for (scale, model) in [(2, "upscale-real-x2"), (4, "upscale-real-x4")] {
            let out = dir.appendingPathComponent("x\(scale).png").path
            let r = try CLIRunner.run(["image", fixture, "-o", out, "--scale", "\(scale)"], environment: none)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains(model), r.stderr)
            XCTAssertFalse(r.stderr.contains("lanczos"), r.stderr)
            let img = try ImageFile.read(path: out)
            XCTAssertEqual(img.width, 96 * scale)
            XCTAssertEqual(img.height, 64 * scale)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/none"), "nothing fetched or created")
        let info = try CLIRunner.run(["models", "info", "upscale-real-x2"], environment: none)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("built in"), info.stdout)
        // x3 has no built-in variant: the x4 pass, then an exact lanczos reduction.
        let r3 = try CLIRunner.run(["image", fixture, "-o", dir.path + "/x3.png", "--scale", "3"], environment: none)
        XCTAssertEqual(r3.status, 0, r3.stderr)
        XCTAssertTrue(r3.stderr.contains("upscale-real-x4 -> lanczos to 288x192"), r3.stderr)
        XCTAssertEqual(try ImageFile.read(path: dir.path + "/x3.png").width, 288)
    }

    func testNeuralModelDoublesSize() throws {
        guard CLIRunner.modelInstalled("realesr-animevideov3-x2") else { throw XCTSkip("models not installed: run make models") }
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("x2.png").path
        let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "realesr-animevideov3-x2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let img = try ImageFile.read(path: out)
        XCTAssertEqual(img.width, 192)
        XCTAssertEqual(img.height, 128)
    }

    func testMissingInputIsOneLineExit1AndNoOutput() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("o.png").path
        let r = try CLIRunner.run(["image", dir.path + "/nope.png", "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("nope.png"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testNotAnImageIsOneLineExit1() throws {
        let dir = try CLIRunner.tempDir()
        let bad = dir.appendingPathComponent("notes.png")
        try Data("hello, not an image\n".utf8).write(to: bad)
        let out = dir.appendingPathComponent("o.png").path
        let r = try CLIRunner.run(["image", bad.path, "-o", out, "--model", "lanczos"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("notes.png"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testExistingOutputNeedsOverwriteFlag() throws {
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("o.png")
        try Data("keep me".utf8).write(to: out)
        let r = try CLIRunner.run(["image", fixture, "-o", out.path, "--model", "lanczos"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("-y"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: out), Data("keep me".utf8))
        let r2 = try CLIRunner.run(["image", fixture, "-o", out.path, "--model", "lanczos", "-y"])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertEqual(try ImageFile.read(path: out.path).width, 192)
    }

    func testOutputSameAsInputRefused() throws {
        let dir = try CLIRunner.tempDir()
        let copy = dir.appendingPathComponent("in.png")
        try FileManager.default.copyItem(atPath: fixture, toPath: copy.path)
        let before = try Data(contentsOf: copy)
        let r = try CLIRunner.run(["image", copy.path, "-o", copy.path, "-y", "--model", "lanczos"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try Data(contentsOf: copy), before, "input untouched")
    }

    func testUnknownModelSuggestsCloseNames() throws {
        guard CLIRunner.modelInstalled("realesr-animevideov3-x2") else { throw XCTSkip("models not installed: run make models") }
        let dir = try CLIRunner.tempDir()
        let r = try CLIRunner.run(["image", fixture, "-o", dir.path + "/o.png", "--model", "realesr-animevideo-x2"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("realesr-animevideov3-x2"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func testScaleTheModelDoesNotHave() throws {
        guard CLIRunner.modelInstalled("realesrgan-x4plus") else { throw XCTSkip("models not installed: run make models") }
        let dir = try CLIRunner.tempDir()
        let r = try CLIRunner.run(["image", fixture, "-o", dir.path + "/o.png", "--model", "realesrgan-x4plus", "--scale", "3"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("x4"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/o.png"))
    }

    func testFamilyNamePicksVariantForScale() throws {
        guard CLIRunner.modelInstalled("realesr-animevideov3-x3") else { throw XCTSkip("models not installed: run make models") }
        let dir = try CLIRunner.tempDir()
        let out = dir.appendingPathComponent("x3.png").path
        let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "realesr-animevideov3", "--scale", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try ImageFile.read(path: out).width, 288)
    }

    func testTruncatedModelFileNamesTheLayer() throws {
        guard CLIRunner.modelInstalled("realesr-animevideov3-x2") else { throw XCTSkip("models not installed: run make models") }
        let dir = try CLIRunner.tempDir()
        let models = dir.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let src = CLIRunner.modelsDirectory + "/realesr-animevideov3-x2"
        try FileManager.default.copyItem(atPath: src + ".param", toPath: models.path + "/realesr-animevideov3-x2.param")
        let bin = try Data(contentsOf: URL(fileURLWithPath: src + ".bin"))
        try bin.prefix(bin.count / 2).write(to: models.appendingPathComponent("realesr-animevideov3-x2.bin"))
        let out = dir.appendingPathComponent("o.png").path
        let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "realesr-animevideov3-x2"],
                                  environment: ["UPSCALE_MODELS": models.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Conv_"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

final class TilingCLITests: XCTestCase {
    func testTiledAndWholeFrameGiveTheSamePicture() throws {
        guard CLIRunner.modelInstalled("realesr-animevideov3-x2") else { throw XCTSkip("models not installed: run make models") }
        let fixture = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path
        let dir = try CLIRunner.tempDir()
        var images: [Tensor] = []
        for tile in ["32", "0"] {
            let out = dir.appendingPathComponent("t\(tile).png").path
            let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "realesr-animevideov3-x2", "--tile", tile])
            XCTAssertEqual(r.status, 0, r.stderr)
            images.append(try ImageFile.read(path: out).pixels)
        }
        XCTAssertLessThanOrEqual(images[0].maxAbsDifference(images[1]), 1.0 / 255 + 1e-6)
    }

    func testBadTilingFlagsAreOneLineErrors() throws {
        let fixture = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path
        let dir = try CLIRunner.tempDir()
        for args in [["--tile=-1"], ["--tile-pad", "lots"], ["--max-memory", "a lot"], ["--threads", "0"]] {
            let r = try CLIRunner.run(["image", fixture, "-o", dir.path + "/o.png", "--model", "lanczos"] + args)
            XCTAssertEqual(r.status, 1, args.joined(separator: " "))
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(args[0].split(separator: "=")[0]), r.stderr)
        }
    }

    func testBenchPrintsJSON() throws {
        let r = try CLIRunner.run(["bench", "--model", "bicubic", "--size", "64x48", "--runs", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["median_ms", "min_ms", "max_ms", "gflops", "peak_rss_mb"] { XCTAssertNotNil(obj[key], key) }
    }
}
