import Foundation
import XCTest

/// `upscale compare`: table, JSON, and one line for a bad pair.
final class CompareCommandTests: XCTestCase {
    let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path
    let noisy = CLIRunner.packageRoot.appendingPathComponent("fixtures/metrics/noise.png").path

    func testJSONAndTable() throws {
        let r = try CLIRunner.run(["compare", photo, noisy, "--y", "--crop", "2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let mean = try XCTUnwrap(json["mean"] as? [String: Any])
        let psnr = try XCTUnwrap(mean["psnr"] as? Double), ssim = try XCTUnwrap(mean["ssim"] as? Double)
        XCTAssertGreaterThan(psnr, 30); XCTAssertLessThan(psnr, 40)
        XCTAssertGreaterThan(ssim, 0.5); XCTAssertLessThan(ssim, 1)
        XCTAssertEqual(json["y"] as? Bool, true)
        let table = try CLIRunner.run(["compare", photo, noisy])
        XCTAssertTrue(table.stdout.contains("PSNR dB") && table.stdout.contains("noise.png"), table.stdout)
    }

    /// Identical images: PSNR is infinite, printed as `inf` in the table and the string "inf" in
    /// JSON (which has no infinity), so `--json` still gives a document a script can read.
    func testIdenticalImagesGiveInfInValidJSON() throws {
        let r = try CLIRunner.run(["compare", photo, photo, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let mean = try XCTUnwrap(json["mean"] as? [String: Any])
        XCTAssertEqual(mean["psnr"] as? String, "inf")
        XCTAssertEqual(try XCTUnwrap(mean["ssim"] as? Double), 1, accuracy: 1e-12)
        let table = try CLIRunner.run(["compare", photo, photo])
        XCTAssertTrue(table.stdout.contains("inf"), table.stdout)
    }

    /// `--lpips alex|vgg` prints the lpips package's value (fixtures/metrics/lpips_reference.json).
    func testLPIPSColumn() throws {
        guard FileManager.default.fileExists(atPath: CLIRunner.modelsDirectory + "/lpips-alex.safetensors") else {
            throw XCTSkip("LPIPS weights not installed: run make models")
        }
        let data = try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("fixtures/metrics/lpips_reference.json"))
        let ref = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pairs = try XCTUnwrap(ref["pairs"] as? [[String: Any]])
        for backbone in ["alex", "vgg"] {
            let expected = try XCTUnwrap(pairs.first { $0["backbone"] as? String == backbone && $0["dist"] as? String == "metrics/noise.png"
                && $0["ref"] as? String == "photo-96x64.png" }?["lpips"] as? Double)
            let r = try CLIRunner.run(["compare", photo, noisy, "--lpips", backbone, "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let mean = try XCTUnwrap(json["mean"] as? [String: Any])
            XCTAssertEqual(try XCTUnwrap(mean["lpips"] as? Double), expected, accuracy: 1e-4, backbone)
        }
        let table = try CLIRunner.run(["compare", photo, noisy, "--lpips", "alex"])
        XCTAssertTrue(table.stdout.contains("LPIPS-alex"), table.stdout)
        let bad = try CLIRunner.run(["compare", photo, noisy, "--lpips", "squeeze"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("alex or vgg"), bad.stderr)
    }

    func testSizeMismatchIsOneLine() throws {
        let big = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-640x360.png").path
        let r = try CLIRunner.run(["compare", photo, big])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("640x360"), r.stderr)
    }
}
