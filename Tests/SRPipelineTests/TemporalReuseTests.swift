import Foundation
import SRMedia
@testable import SRPipeline
import SRTensor
import XCTest

/// Temporal reuse on real, compressed clips with the default (built-in) model: `exact` equals
/// `off`, and `auto` keeps its quality bound while reusing what it should.
final class TemporalReuseTests: XCTestCase {
    /// The first `count` frames of a fixture clip as RGB.
    func frames(_ name: String, count: Int) throws -> [Tensor] {
        let demuxer = try Demuxer(path: VideoJobTests.clips.appendingPathComponent(name).path)
        let decoder = try VideoDecoder(demuxer: demuxer)
        let converter = ColorConverter()
        var out: [Tensor] = []
        while out.count < count {
            let packet = demuxer.read()
            if let p = packet, p.streamIndex != demuxer.videoStream.index { continue }
            for f in try decoder.decode(packet) { out.append(try converter.rgb(from: f, color: demuxer.videoColor)) }
            if packet == nil { break }
        }
        return Array(out.prefix(count))
    }

    /// Runs the default model over `input` with `mode`; the outputs and the reuse state.
    func upscale(_ input: [Tensor], _ mode: ReuseMode, levels: Float? = nil) throws -> ([Tensor], TemporalReuse) {
        let first = try XCTUnwrap(input.first)
        let plan = try ScalePlan.make(model: nil, scale: nil, width: nil, height: nil, inputWidth: first.w, inputHeight: first.h)
        let runners = try plan.runners(tiling: TileOptions(), notes: { _ in })
        let reuse = TemporalReuse(options: ReuseOptions(mode: mode, levels: levels))
        return (try input.map { try reuse.apply(plan, $0, runners: runners).output }, reuse)
    }

    /// PSNR in dB of two outputs, on the 8-bit values an encoder would see.
    func psnr(_ a: Tensor, _ b: Tensor) -> Double {
        ImageMetrics.psnr(ImageMetrics.planes(ImageMetrics.quantized(a), luma: true, crop: 0),
                          ImageMetrics.planes(ImageMetrics.quantized(b), luma: true, crop: 0))
    }

    func testExactReusesOnlyBitIdenticalFramesAndEqualsOff() throws {
        let clip = try frames("reuse-twos.mp4", count: 6)
        let input = [clip[0], clip[0], clip[1], clip[2], clip[2], clip[2]]  // decoded duplicates, bit for bit
        let (off, _) = try upscale(input, .off)
        let (exact, reuse) = try upscale(input, .exact)
        XCTAssertEqual(reuse.reusedFrames, 3)
        for (a, b) in zip(off, exact) { XCTAssertEqual(a.data, b.data) }
        XCTAssertEqual(reuse.summary, "reused 3/6 frames")
    }

    func testAutoOnTwosReusesTheHeldDrawingsWithinTheBound() throws {
        let input = try frames("reuse-twos.mp4", count: 16)
        let (off, _) = try upscale(input, .off)
        let (auto, reuse) = try upscale(input, .auto)
        let scores = zip(off, auto).map { psnr($0, $1) }
        XCTAssertGreaterThanOrEqual(scores.min() ?? 0, 40, "every frame within 40 dB of off: \(scores)")
        XCTAssertGreaterThanOrEqual(reuse.reusedFrames, 6, "most held drawings reused: \(reuse.summary)")
        XCTAssertLessThanOrEqual(reuse.recomputedPercent ?? 100, 65, reuse.summary)
        XCTAssertLessThan(reuse.bytes, 64 << 20)
    }

    func testAutoOnStaticCameraRecomputesOnlyTheMovingPart() throws {
        let input = try frames("reuse-static.mp4", count: 10)
        let (off, _) = try upscale(input, .off)
        let (auto, reuse) = try upscale(input, .auto)
        let scores = zip(off, auto).map { psnr($0, $1) }
        XCTAssertGreaterThanOrEqual(scores.min() ?? 0, 40, "\(scores)")
        // The first frame is computed whole; then about a sixth of the frame moves.
        XCTAssertLessThanOrEqual(reuse.recomputedPercent ?? 100, 35, reuse.summary)
    }

    func testZeroThresholdAutoReusesNothingThatChanged() throws {
        let input = try frames("reuse-pan.mp4", count: 4)
        let (off, _) = try upscale(input, .off)
        let (auto, reuse) = try upscale(input, .auto, levels: 0)
        XCTAssertEqual(reuse.reusedFrames, 0)
        for (a, b) in zip(off, auto) { XCTAssertGreaterThanOrEqual(psnr(a, b), 45) }
    }

    func testResetStartsOverAndOptionsAreChecked() throws {
        let clip = try frames("reuse-twos.mp4", count: 1)
        let input = [clip[0], clip[0]]
        let first = try XCTUnwrap(input.first)
        let plan = try ScalePlan.make(model: nil, scale: nil, width: nil, height: nil, inputWidth: first.w, inputHeight: first.h)
        let runners = try plan.runners(tiling: TileOptions(), notes: { _ in })
        let reuse = TemporalReuse(options: ReuseOptions())
        XCTAssertFalse(try reuse.apply(plan, input[0], runners: runners).reused)
        reuse.reset()
        XCTAssertFalse(try reuse.apply(plan, input[1], runners: runners).reused, "a segment start computes its first frame")
        XCTAssertTrue(try reuse.apply(plan, input[1], runners: runners).reused)
        XCTAssertThrowsError(try ReuseOptions(mode: .auto, levels: 300).validate()) {
            XCTAssertTrue("\($0)".contains("--reuse-threshold"))
        }
    }
}
