import Foundation
import SRMedia
import XCTest

/// `upscale image --model upscale-sr3-x4 --seed N` from a clean clone: built in, deterministic
/// for a seed, another seed samples another image, `--steps` is checked, and x8 cascades
/// upscale-fast-x2 into the diffusion stage.
final class DiffusionCommandTests: XCTestCase {
    let fixture = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path

    func testSR3IsBuiltInAndDeterministicPerSeed() throws {
        let dir = try CLIRunner.tempDir()
        let none = ["UPSCALE_MODELS": dir.path + "/none"]
        func run(_ name: String, _ extra: [String]) throws -> (Data, String) {
            let out = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "upscale-sr3-x4", "--steps", "2"] + extra, environment: none)
            XCTAssertEqual(r.status, 0, r.stderr)
            return (try Data(contentsOf: URL(fileURLWithPath: out)), r.stderr)
        }
        let (a, log) = try run("a.png", ["--seed", "1"])
        let (b, _) = try run("b.png", ["--seed", "1"])
        let (c, _) = try run("c.png", ["--seed", "2"])
        XCTAssertTrue(log.contains("upscale-sr3-x4"), log)
        XCTAssertEqual(a, b, "the same seed gives the same file")
        XCTAssertNotEqual(a, c, "another seed samples another image")
        let img = try ImageFile.read(path: dir.appendingPathComponent("a.png").path)
        XCTAssertEqual([img.width, img.height], [384, 256])

        let bad = try CLIRunner.run(["image", fixture, "-o", dir.path + "/d.png", "--model", "upscale-sr3-x4", "--steps", "0"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--steps"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/d.png"))
    }

    func testScale8CascadesAFastStageIntoTheDiffusionStage() throws {
        let dir = try CLIRunner.tempDir(), out = dir.appendingPathComponent("x8.png").path
        let r = try CLIRunner.run(["image", fixture, "-o", out, "--model", "upscale-sr3", "--scale", "8", "--steps", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("upscale-fast-x2 -> upscale-sr3-x4"), r.stderr)
        let img = try ImageFile.read(path: out)
        XCTAssertEqual([img.width, img.height], [768, 512])
    }
}
