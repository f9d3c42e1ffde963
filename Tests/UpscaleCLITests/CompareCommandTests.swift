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

    func testSizeMismatchIsOneLine() throws {
        let big = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-640x360.png").path
        let r = try CLIRunner.run(["compare", photo, big])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("640x360"), r.stderr)
    }
}
