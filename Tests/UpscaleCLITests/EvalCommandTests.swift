import Foundation
import XCTest

/// `upscale eval`: the table has a bicubic row and one per model; the built-in models beat
/// bicubic on a real photo (the fixture is not in the training set).
final class EvalCommandTests: XCTestCase {
    let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-640x360.png").path

    func testBuiltInModelsBeatBicubic() throws {
        for (scale, model) in [(2, "upscale-fast-x2"), (4, "upscale-fast-x4")] {
            let r = try CLIRunner.run(["eval", "--hr", photo, "--scale", "\(scale)", "--model", model, "--lpips", "none", "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            let mean = rows.filter { $0["file"] as? String == "mean" }
            XCTAssertEqual(mean.compactMap { $0["method"] as? String }, ["bicubic", model])
            let psnr = mean.compactMap { $0["psnrY"] as? Double }
            XCTAssertGreaterThan(psnr[1], psnr[0] + 0.3, "\(model) vs bicubic: \(psnr)")
        }
        let table = try CLIRunner.run(["eval", "--hr", photo, "--scale", "2", "--model", "lanczos", "--lpips", "none"])
        XCTAssertTrue(table.stdout.contains("PSNR-Y dB") && table.stdout.contains("lanczos") && table.stdout.contains("mean"), table.stdout)
        let bad = try CLIRunner.run(["eval", "--hr", photo, "--scale", "3", "--model", "upscale-fast-x2"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
    }
}
