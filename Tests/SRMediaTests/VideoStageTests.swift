import Foundation
import SRMedia
import SRTensor
import XCTest

/// The convert stage's colour handling and the probe, on synthetic frames and the fixture clips.
final class VideoStageTests: XCTestCase {
    static let clips = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/clips")

    /// A smooth, saturated test picture (chroma subsampling loses little on it).
    func gradient(w: Int = 64, h: Int = 32) -> Tensor {
        var t = Tensor(c: 3, h: h, w: w)
        for y in 0..<h {
            for x in 0..<w {
                let u = Float(x) / Float(w - 1), v = Float(y) / Float(h - 1)
                t.data[y * w + x] = 0.1 + 0.8 * u
                t.data[h * w + y * w + x] = 0.9 - 0.7 * v
                t.data[2 * h * w + y * w + x] = 0.2 + 0.5 * u * v
            }
        }
        return t
    }

    func maxError(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.data, b.data).map { abs($0 - $1) }.max() ?? .infinity
    }

    func roundTrip(_ rgb: Tensor, format: String, encodeAs: ColorDescription, decodeAs: ColorDescription) throws -> Tensor {
        let fmt = try XCTUnwrap(ColorConverter.pixelFormat(named: format))
        let c = ColorConverter()
        let frame = try c.frame(from: rgb, format: fmt, width: rgb.w, height: rgb.h, color: encodeAs, pts: 7)
        XCTAssertEqual(frame.pts, 7)
        XCTAssertEqual(ColorConverter.description(of: frame).matrix, encodeAs.matrix)
        return try c.rgb(from: frame, color: decodeAs)
    }

    func testYUVRoundTripKeepsColours() throws {
        let rgb = gradient()
        let e8 = maxError(try roundTrip(rgb, format: "yuv420p", encodeAs: .bt709, decodeAs: .bt709), rgb)
        let e10 = maxError(try roundTrip(rgb, format: "yuv420p10le", encodeAs: .bt709, decodeAs: .bt709), rgb)
        let e444 = maxError(try roundTrip(rgb, format: "yuv444p16le", encodeAs: .bt709, decodeAs: .bt709), rgb)
        XCTAssertLessThan(e8, 0.03, "8-bit 4:2:0")
        XCTAssertLessThan(e10, 0.02, "10-bit 4:2:0")
        XCTAssertLessThan(e444, 0.001, "16-bit 4:4:4 is nearly exact")
    }

    func testMatrixAndRangeAreHonoured() throws {
        let rgb = gradient()
        let right = maxError(try roundTrip(rgb, format: "yuv444p16le", encodeAs: .bt709, decodeAs: .bt709), rgb)
        let wrongMatrix = maxError(try roundTrip(rgb, format: "yuv444p16le", encodeAs: .bt709, decodeAs: .bt601), rgb)
        var full = ColorDescription.bt709
        full.fullRange = true
        let wrongRange = maxError(try roundTrip(rgb, format: "yuv444p16le", encodeAs: full, decodeAs: .bt709), rgb)
        XCTAssertGreaterThan(wrongMatrix, 20 * right, "BT.601 and BT.709 must give different colours")
        XCTAssertGreaterThan(wrongRange, 20 * right, "full and limited range must differ")
        let fullRight = maxError(try roundTrip(rgb, format: "yuv444p16le", encodeAs: full, decodeAs: full), rgb)
        XCTAssertLessThan(fullRight, 0.001)
    }

    func testLimitedRangeLevels() throws {
        // White and black survive a limited-range round trip exactly at 8 bits.
        var t = Tensor(c: 3, h: 2, w: 4)
        for i in 0..<4 { for c in 0..<3 { t.data[c * 8 + i] = 1 } }
        let back = try roundTrip(t, format: "yuv444p", encodeAs: .bt709, decodeAs: .bt709)
        XCTAssertLessThan(maxError(back, t), 0.003)
    }

    func testOddSizeIsPaddedByReplication() throws {
        let rgb = gradient(w: 11, h: 7)
        let fmt = try XCTUnwrap(ColorConverter.pixelFormat(named: "yuv444p16le"))
        let c = ColorConverter()
        let frame = try c.frame(from: rgb, format: fmt, width: 12, height: 8, color: .bt709, pts: nil)
        XCTAssertEqual(frame.width, 12)
        XCTAssertEqual(frame.height, 8)
        let back = try c.rgb(from: frame, color: .bt709)
        for ch in 0..<3 {
            for y in 0..<8 {
                let expected = rgb.data[(ch * 7 + min(y, 6)) * 11 + 10]
                XCTAssertEqual(back.data[(ch * 8 + y) * 12 + 11], expected, accuracy: 0.002, "last column repeated")
            }
        }
    }

    func testProbeReadsTheFixtures() throws {
        let s = try MediaSummary.read(Self.clips.appendingPathComponent("h264-aac.mp4").path)
        XCTAssertEqual(s.streams.map(\.kind), [.video, .audio])
        let v = try XCTUnwrap(s.video)
        XCTAssertEqual(v.packets, 50)
        XCTAssertEqual(v.width, 160)
        XCTAssertEqual(v.height, 90)
        XCTAssertEqual(v.times.count, 50)
        XCTAssertEqual(v.times[1] - v.times[0], 0.04, accuracy: 1e-6)
        XCTAssertEqual(s.tags["title"], "upscale fixture")
        XCTAssertEqual(s.streams[1].tags["language"], "eng")
        XCTAssertEqual(s.streams[1].packetHashes.count, s.streams[1].packets)

        let r = try MediaSummary.read(Self.clips.appendingPathComponent("rotated.mp4").path)
        XCTAssertEqual(abs(try XCTUnwrap(r.video).rotation), 90)
        XCTAssertEqual(try XCTUnwrap(r.video).sampleAspect, Rational(4, 3))

        let h = try MediaSummary.read(Self.clips.appendingPathComponent("hevc-10bit.mkv").path)
        XCTAssertEqual(h.video?.pixelFormat, "yuv420p10le")
        XCTAssertEqual(h.video?.colorTransfer, "smpte2084")

        let c = try MediaSummary.read(Self.clips.appendingPathComponent("subs-chapters.mkv").path)
        XCTAssertEqual(c.chapters.map(\.title), ["Opening", "Close-up"])
        XCTAssertEqual(c.streams.filter { $0.kind == .subtitle }.count, 2)
    }

    func testBadInputsSayWhatIsWrong() {
        func message(_ path: String) -> String {
            do { _ = try Demuxer(path: path); return "opened" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("/nonexistent/clip.mp4").contains("No such file"))
        XCTAssertTrue(message(Self.clips.appendingPathComponent("audio-only.m4a").path).contains("no video stream"))
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("not-media-\(UUID()).mp4")
        _ = FileManager.default.createFile(atPath: text.path, contents: Data("hello, not a video\n".utf8))
        XCTAssertTrue(message(text.path).contains("not a media file"))
    }
}
