import SRAutograd
import SRKernels
@testable import SRModels
import SRTensor
import SRTiling
import XCTest

/// SR3 (seed 001): the U-Net's engine graph equals its autograd forward, the noise depends only
/// on the pixel position, and DDIM sampling is deterministic for a seed, tiled or not.
final class DiffusionTests: XCTestCase {
    func tinyUNet(scale: Int = 2, seed: UInt64 = 3) throws -> SR3UNet {
        let config = ArchitectureConfig(["features": "8", "levels": "3", "groups": "4", "embedding": "4", "steps": "3"])
        let net = try XCTUnwrap(try ArchitectureRegistry.make("sr3_unet", config: config, scale: scale, seed: seed) as? SR3UNet)
        var rng = SeededRandom(seed: 99)
        for p in net.parameters { p.variable.value = p.variable.value.map { $0 + 0.05 * rng.normal() } }
        return net
    }

    func random(c: Int, h: Int, w: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return Tensor(c: c, h: h, w: w, data: (0..<(c * h * w)).map { _ in rng.unit() })
    }

    func testUNetEngineGraphMatchesAutograd() throws {
        let net = try tinyUNet()
        XCTAssertEqual(net.alignment, 4)
        XCTAssertEqual(net.graph().inputChannels, 10)
        let x = random(c: 10, h: 16, w: 12, seed: 5)
        let expected = net.forward(Variable(x), training: false).value
        XCTAssertEqual(expected.shape, [1, 3, 16, 12])
        // Per-pixel GroupNorm divides by the spread of a few channels, which magnifies the
        // rounding differences of the convolution algorithms (Winograd's most) and of OpenBLAS's
        // kernel sets: at the worst pixel of this input autograd itself gives 0.0277 with the
        // Haswell kernels and 0.0295 with the SkylakeX / Cooperlake ones. So the worst pixel gets
        // 1e-2 and the mean difference (1.1e-4 with SkylakeX), which a wrong kernel would move
        // by far more, 1e-3 (outputs reach 0.44).
        for winograd in [false, true] {
            let out = try net.inferenceNet().prepared(winograd: winograd).forward(input: x)
            XCTAssertLessThan(out.maxAbsDifference(expected), 1e-2, "winograd \(winograd)")
            XCTAssertLessThan(out.meanAbsDifference(expected), 1e-3, "winograd \(winograd): mean difference")
        }
        // The ncnn export (Swish, PixelGroupNorm) reads back into the same network.
        let files = try net.ncnnGraph()
        let reread = try NCNNNet(param: NCNNParam(text: files.paramText, file: "u.param"), weights: NCNNModelBin(bytes: files.bin, file: "u.bin"))
        XCTAssertLessThan(try reread.forward(input: x).maxAbsDifference(expected), 1e-2)
        XCTAssertThrowsError(try ArchitectureRegistry.make("sr3_unet", config: ArchitectureConfig(["features": "10", "groups": "4"]), scale: 4))
        XCTAssertThrowsError(try ArchitectureRegistry.make("sr3_unet", scale: 3))
    }

    func testScheduleAndPositionalNoise() {
        XCTAssertEqual(DiffusionSchedule.alphaBar(0), 1, accuracy: 1e-6)
        XCTAssertEqual(DiffusionSchedule.alphaBar(1), 0, accuracy: 1e-6)
        for t in stride(from: Float(0), to: 1, by: 0.1) { XCTAssertGreaterThan(DiffusionSchedule.alphaBar(t), DiffusionSchedule.alphaBar(t + 0.1)) }
        let whole = DiffusionSchedule.noise(seed: 4, channels: 3, x: 0, y: 0, h: 40, w: 50)
        let part = DiffusionSchedule.noise(seed: 4, channels: 3, x: 7, y: 11, h: 9, w: 13)
        XCTAssertEqual(part.data, Kernels.crop(whole, top: 11, left: 7, h: 9, w: 13).data, "a window draws the frame's values")
        XCTAssertNotEqual(DiffusionSchedule.noise(seed: 5, channels: 3, x: 0, y: 0, h: 40, w: 50).data, whole.data)
        let mean = whole.data.reduce(0, +) / Float(whole.count)
        let variance = whole.data.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(whole.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(variance, 1, accuracy: 0.06)
    }

    func testSamplingIsDeterministicAndTilesAgree() throws {
        let model = try LoadedModel(trained: tinyUNet(), name: "sr3")
        XCTAssertNotNil(model.diffusion)
        XCTAssertFalse(model.tilesExactly)
        XCTAssertEqual(model.diffusion?.steps, 3, "the model's default steps")
        let lr = random(c: 3, h: 15, w: 18, seed: 8)
        let a = try model.upscale(lr), b = try model.upscale(lr)
        XCTAssertEqual(a.shape, [1, 3, 30, 36])
        XCTAssertEqual(a.data, b.data, "same seed, same output")
        XCTAssertTrue(a.data.allSatisfy { (0...1).contains($0) }, "x̂0 is kept inside the image range")
        let other = try model.sampling(steps: nil, seed: 1).upscale(lr)
        XCTAssertGreaterThan(other.maxAbsDifference(a), 1e-3, "another seed samples another image")
        let more = try model.sampling(steps: 5, seed: 0)
        XCTAssertEqual(more.diffusion?.steps, 5)
        XCTAssertEqual(more.flopsPerInputPixel(), model.flopsPerInputPixel() * 5 / 3, accuracy: 1)
        // Tiles draw the frame's noise at their position: with context they agree with the whole frame.
        let big = random(c: 3, h: 40, w: 44, seed: 9), whole = try model.upscale(big)
        func psnr(_ x: Tensor) -> Float {
            let mse = zip(x.data, whole.data).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(x.count)
            return 10 * log10(1 / max(mse, 1e-12))
        }
        let runner = TiledRunner(scale: 2, tile: 16, overlap: 4, pad: 6) { try model.upscale($0, context: $1) }
        XCTAssertGreaterThan(runner.plan(width: 44, height: 40).tiles.count, 4)
        let tiled = psnr(try runner.upscale(big))
        let shifted = TiledRunner(scale: 2, tile: 16, overlap: 4, pad: 6) { x, c in try model.upscale(x, context: c.at(x: 0, y: 0)) }
        let wrong = psnr(try shifted.upscale(big))
        XCTAssertGreaterThan(tiled, 35, "tiled vs whole-frame PSNR (measured 41.8 dB)")
        XCTAssertGreaterThan(tiled, wrong + 10, "without positions the tiles disagree: \(wrong) dB")
    }
}
