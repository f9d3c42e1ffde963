import Foundation
import SRMedia
import SRPipeline
import XCTest

/// PSNR and SSIM equal scikit-image's on the same images (fixtures/metrics/reference.json, made by
/// bench/reference/metrics_reference.py): within 0.01 dB and 1e-4.
final class ImageMetricsTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    func testEqualsScikitImage() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("metrics/reference.json"))
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Double]]])
        XCTAssertEqual(reference.count, 3)
        let ref = Self.fixtures.appendingPathComponent("photo-96x64.png").path
        for (name, byCrop) in reference {
            let dist = Self.fixtures.appendingPathComponent("metrics/\(name)").path
            for (cropKey, values) in byCrop {
                var config = CompareConfig(reference: ref, distorted: dist)
                config.crop = cropKey == "crop4" ? 4 : 0
                let rgb = try XCTUnwrap(CompareJob.run(config).first)
                config.luma = true
                let y = try XCTUnwrap(CompareJob.run(config).first)
                let what = "\(name) \(cropKey)"
                XCTAssertEqual(rgb.psnr, try XCTUnwrap(values["psnr"]), accuracy: 0.01, what)
                XCTAssertEqual(rgb.ssim, try XCTUnwrap(values["ssim"]), accuracy: 1e-4, what)
                XCTAssertEqual(y.psnr, try XCTUnwrap(values["psnr_y"]), accuracy: 0.01, what)
                XCTAssertEqual(y.ssim, try XCTUnwrap(values["ssim_y"]), accuracy: 1e-4, what)
            }
        }
    }

    func testIdenticalImagesAndBadPairs() throws {
        let ref = Self.fixtures.appendingPathComponent("photo-96x64.png").path
        let same = try XCTUnwrap(CompareJob.run(CompareConfig(reference: ref, distorted: ref)).first)
        XCTAssertEqual(same.psnr, .infinity)
        XCTAssertEqual(same.ssim, 1, accuracy: 1e-12)
        let other = Self.fixtures.appendingPathComponent("photo-640x360.png").path
        XCTAssertThrowsError(try CompareJob.run(CompareConfig(reference: ref, distorted: other))) {
            XCTAssertTrue("\($0)".contains("640x360"), "\($0)")
        }
        var cropped = CompareConfig(reference: ref, distorted: ref)
        cropped.crop = 30
        XCTAssertThrowsError(try CompareJob.run(cropped))
    }

    /// Folders: same-named pairs and their mean; a missing partner is named.
    func testFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-metrics-\(UUID().uuidString)")
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        for d in [a, b] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let photo = Self.fixtures.appendingPathComponent("photo-96x64.png")
        for name in ["noise.png", "shift.png"] {
            try FileManager.default.copyItem(at: photo, to: a.appendingPathComponent(name))
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("metrics/\(name)"), to: b.appendingPathComponent(name))
        }
        let items = try CompareJob.run(CompareConfig(reference: a.path, distorted: b.path))
        XCTAssertEqual(items.map(\.file), ["noise.png", "shift.png"])
        try FileManager.default.copyItem(at: photo, to: a.appendingPathComponent("extra.png"))
        XCTAssertThrowsError(try CompareJob.run(CompareConfig(reference: a.path, distorted: b.path))) {
            XCTAssertTrue("\($0)".contains("extra.png"), "\($0)")
        }
    }
}
