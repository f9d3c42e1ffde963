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

    /// --degrade: the LR goes through libx264 first, bicubic sees the same LR (so it loses PSNR),
    /// the same spec gives the same numbers, and a bad spec is one line.
    func testDegradedLRIsReproducibleAndSharedWithBicubic() throws {
        func means(_ extra: [String]) throws -> [Double] {
            let r = try CLIRunner.run(["eval", "--hr", photo, "--scale", "2", "--model", "lanczos", "--lpips", "none", "--json"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            return rows.filter { $0["file"] as? String == "mean" }.compactMap { $0["psnrY"] as? Double }
        }
        let clean = try means([]), crf = try means(["--degrade", "h264:crf=34"]), again = try means(["--degrade", "h264:crf=34"])
        XCTAssertEqual(crf.count, 2)
        XCTAssertEqual(crf, again, "the same spec, the same LR")
        XCTAssertLessThan(crf[0], clean[0] - 0.5, "bicubic on the compressed LR: \(crf) vs clean \(clean)")
        XCTAssertLessThan(crf[1], clean[1] - 0.5, "lanczos on the compressed LR too")
        let chained = try means(["--degrade", "noise:sigma=4,jpeg:q=8"])
        XCTAssertLessThan(chained[0], clean[0], "\(chained) vs \(clean)")
        for spec in ["h264:crf=99", "vp9:crf=3", "jpeg:quality=40"] {
            let bad = try CLIRunner.run(["eval", "--hr", photo, "--scale", "2", "--degrade", spec])
            XCTAssertEqual(bad.status, 1, spec)
            XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
            XCTAssertTrue(bad.stderr.contains("--degrade"), bad.stderr)
        }
    }
}
