import SRKernels
import SRTensor
import SRTiling
import XCTest

final class TiledRunnerTests: XCTestCase {
    struct RNG {
        var state: UInt64
        mutating func next() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Float((z ^ (z >> 31)) >> 40) / Float(1 << 24)
        }
    }

    /// A small convolutional "model" with receptive radius 2: two 3x3 convs, then nearest x2.
    static func makeModel(seed: UInt64) -> TiledRunner.Model {
        var rng = RNG(state: seed)
        let g1 = ConvGeometry(inChannels: 3, outChannels: 8, kernel: 3, pad: 1)
        let g2 = ConvGeometry(inChannels: 8, outChannels: 3, kernel: 3, pad: 1)
        let w1 = (0..<g1.weightCount).map { _ in rng.next() - 0.5 }, b1 = (0..<8).map { _ in rng.next() - 0.5 }
        let w2 = (0..<g2.weightCount).map { _ in (rng.next() - 0.5) * 0.3 }, b2 = (0..<3).map { _ in rng.next() - 0.5 }
        return { x, context in
            let h = Kernels.convolution(x, weight: w1, bias: b1, geometry: g1, activation: .leakyReLU(0.1), context: context)
            let y = Kernels.convolution(h, weight: w2, bias: b2, geometry: g2, context: context)
            return Kernels.interp(y, mode: .nearest, outH: y.h * 2, outW: y.w * 2)
        }
    }

    static func randomFrame(w: Int, h: Int, seed: UInt64) -> Tensor {
        var rng = RNG(state: seed)
        return Tensor(c: 3, h: h, w: w, data: (0..<(3 * w * h)).map { _ in rng.next() })
    }

    func testTiledEqualsWholeFrameWhenPadCoversReceptiveField() throws {
        let model = Self.makeModel(seed: 1)
        for (w, h, tile, workers) in [(53, 37, 16, 1), (40, 9, 7, 2), (1, 1, 8, 2), (64, 1, 10, 2)] {
            let frame = Self.randomFrame(w: w, h: h, seed: UInt64(w * h))
            let whole = try model(frame, .serial)
            let tiled = try TiledRunner(scale: 2, tile: tile, overlap: 4, pad: 2, workers: workers, model: model).upscale(frame)
            XCTAssertLessThanOrEqual(whole.maxAbsDifference(tiled), 1e-4, "\(w)x\(h) tile \(tile)")
        }
    }

    func testErrorsFromTilesPropagate() {
        struct Boom: Error {}
        let up = TiledRunner(scale: 2, tile: 8, overlap: 2, pad: 1, workers: 2) { _, _ in throw Boom() }
        XCTAssertThrowsError(try up.upscale(Self.randomFrame(w: 30, h: 30, seed: 3)))
    }

    func testWrongOutputSizeIsAnError() {
        let up = TiledRunner(scale: 2, tile: 8, overlap: 2, pad: 1) { x, _ in x }
        XCTAssertThrowsError(try up.upscale(Self.randomFrame(w: 20, h: 20, seed: 4))) {
            XCTAssertTrue("\($0)".contains("should give"))
        }
    }
}
