import Foundation
import SRKernels
import SRMedia
@testable import SRPipeline
import SRTensor
import XCTest

/// `upscale preview` and the run estimates.
final class PreviewTests: XCTestCase {
    func clip(_ name: String) -> String { VideoJobTests.clips.appendingPathComponent(name).path }

    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testPanelsAreTheModelsCropsSideBySideUnderLabels() throws {
        let out = try tempDir().appendingPathComponent("p.png").path
        var config = PreviewConfig(input: clip("reuse-twos.mp4"), output: out)
        config.at = 1.5
        config.models = ["upscale-fast-x2", "bicubic"]
        config.crop = "64x48+10+20"
        let r = try PreviewJob.run(config)
        XCTAssertEqual(r.panels.map { $0.name }, ["input (nearest)", "upscale-fast-x2", "bicubic"])
        XCTAssertNotNil(r.panels[1].milliseconds)
        XCTAssertEqual(r.origin, "frame at 1.50 s")
        let image = try ImageFile.read(path: out).pixels
        let (pw, ph) = (128, 96), band = PreviewJob.band, gap = PreviewJob.gap
        XCTAssertEqual(image.w, 3 * pw + 2 * gap)
        XCTAssertEqual(image.h, band + ph)
        // Each panel equals that model's output on the whole frame, cropped (to 8-bit rounding).
        let frame = try FramePicker.pick(config.input, at: 1.5).rgb
        let crop = Kernels.crop(frame, top: 20, left: 10, h: 48, w: 64)
        var expected = [Kernels.interp(crop, mode: .nearest, outH: ph, outW: pw)]
        for model in ["upscale-fast-x2", "bicubic"] {
            let plan = try ScalePlan.make(model: model, scale: nil, width: nil, height: nil, inputWidth: frame.w, inputHeight: frame.h)
            let full = try plan.apply(frame, runners: try plan.runners(tiling: TileOptions(), notes: { _ in }))
            expected.append(Kernels.crop(full, top: 40, left: 20, h: ph, w: pw))
        }
        for (k, e) in expected.enumerated() {
            let panel = Kernels.crop(image, top: band, left: k * (pw + gap), h: ph, w: pw)
            XCTAssertLessThanOrEqual(panel.maxAbsDifference(e), 0.6 / 255 + 1e-4, "panel \(k)")
            // The label: white text in the band above the panel, dark background elsewhere.
            let label = Kernels.crop(image, top: 0, left: k * (pw + gap), h: band, w: pw)
            XCTAssertGreaterThan(label.data.filter { $0 > 0.99 }.count, 30, "panel \(k) has a label")
            if k > 0 {
                let seam = Kernels.crop(image, top: band, left: k * (pw + gap) - gap, h: ph, w: gap)
                XCTAssertTrue(seam.data.allSatisfy { abs($0 - 0.12) < 0.01 }, "gap before panel \(k)")
            }
        }
    }

    func testAutoCropFindsTheDetail() {
        // Flat gray with a checkerboard at (40, 24): the most detailed 16x16 window is on it.
        var frame = Tensor(c: 3, h: 64, w: 96, repeating: 0.5)
        for y in 24..<40 { for x in 40..<56 where (x + y) % 2 == 0 { for c in 0..<3 { frame[0, c, y, x] = 1 } } }
        let r = DetailCrop.find(in: frame, width: 16, height: 16)
        XCTAssertEqual(abs(r.x - 40) <= 2 && abs(r.y - 24) <= 2, true, "\(r)")
    }

    func testTenBitAndOddSizedSourcesAndBadRequests() throws {
        let dir = try tempDir()
        var ten = PreviewConfig(input: clip("hevc-10bit.mkv"), output: dir.appendingPathComponent("t.png").path)
        ten.models = ["lanczos"]
        let r = try PreviewJob.run(ten)
        XCTAssertEqual(r.panels.count, 2)
        XCTAssertEqual(try ImageFile.read(path: ten.output).bitDepth, 16, "10-bit source: 16-bit comparison")
        var odd = PreviewConfig(input: clip("rotated.mp4"), output: dir.appendingPathComponent("o.png").path)
        odd.frame = 3
        odd.models = ["bicubic"]
        odd.scale = 3
        let o = try PreviewJob.run(odd)
        XCTAssertEqual(o.origin, "frame 3 at 0.12 s")
        XCTAssertEqual(o.panelSize.width, o.crop.width * 3)
        for (change, needle) in [({ (c: inout PreviewConfig) in c.at = 99 }, " s long"),
                                 ({ (c: inout PreviewConfig) in c.crop = "500x10+0+0" }, "does not fit"),
                                 ({ (c: inout PreviewConfig) in c.crop = "big" }, "WxH+X+Y"),
                                 ({ (c: inout PreviewConfig) in c.output = dir.appendingPathComponent("p.mp4").path }, "must be an image")] {
            var bad = PreviewConfig(input: clip("rotated.mp4"), output: dir.appendingPathComponent("b.png").path)
            bad.models = ["bicubic"]
            change(&bad)
            XCTAssertThrowsError(try PreviewJob.run(bad)) { XCTAssertTrue("\($0)".contains(needle), "\($0)") }
        }
    }

    func testEstimateIsNearTheMeasuredTime() throws {
        // The loose bound here allows for a loaded test machine; bench/estimate.sh reports the real error.
        var config = VideoJobConfig(input: clip("reuse-pan.mp4"), output: try tempDir().appendingPathComponent("e.mp4").path)
        config.progress = .none
        config.resume = false
        let estimate = try RunEstimator.estimate(config)
        XCTAssertEqual(estimate.frames, 48)
        XCTAssertTrue(estimate.line.hasPrefix("plan: upscale-real-x2 to 640x360 libx264"), estimate.line)
        XCTAssertTrue(estimate.json.hasPrefix("{\"event\":\"estimate\""), estimate.json)
        XCTAssertGreaterThan(estimate.peakBytes, 64 << 20)
        let predicted = try XCTUnwrap(estimate.seconds)
        let measured = try VideoJob.run(config).seconds
        XCTAssertLessThan(predicted, 2.5 * measured, "predicted \(predicted) s, measured \(measured) s")
        XCTAssertGreaterThan(predicted, measured / 2.5, "predicted \(predicted) s, measured \(measured) s")
    }
}
