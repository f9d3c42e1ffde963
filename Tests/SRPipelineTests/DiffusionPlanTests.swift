import SRModels
@testable import SRPipeline
import XCTest

/// The diffusion family in plans: x8 is a cascade (a fast regression pass, then diffusion),
/// video gets a note on cost and flicker, and `--steps` / `--seed` reach the sampler.
final class DiffusionPlanTests: XCTestCase {
    func testCascadeNotesAndSampling() throws {
        let x8 = try ScalePlan.make(model: "upscale-sr3", scale: 8, width: nil, height: nil, inputWidth: 40, inputHeight: 30)
        XCTAssertEqual(x8.stages.map(\.name), ["upscale-fast-x2", "upscale-sr3-x4"])
        XCTAssertEqual(x8.stages.map(\.isDiffusion), [false, true])
        XCTAssertEqual([x8.outputWidth, x8.outputHeight], [320, 240])
        let notes = x8.videoNotes(steps: 4)
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes[0].contains("upscale-sr3-x4 is a diffusion model: each frame takes 4 U-Net passes"), notes[0])
        let fast = try ScalePlan.make(model: "upscale-fast-x4", scale: nil, width: nil, height: nil, inputWidth: 40, inputHeight: 30)
        XCTAssertTrue(fast.videoNotes(steps: nil).isEmpty)

        var tiling = TileOptions()
        tiling.steps = 3; tiling.seed = 9
        let runner = try tiling.tiledRunner(for: x8.stages[1], width: 40, height: 30)
        XCTAssertEqual(runner.scale, 4)
        guard case .neural(let m) = try x8.stages[1].sampling(steps: 3, seed: 9).kind else { return XCTFail("not a network") }
        XCTAssertEqual(m.diffusion?.steps, 3)
        XCTAssertEqual(m.diffusion?.seed, 9)
        tiling.steps = 0
        XCTAssertThrowsError(try tiling.validate()) { XCTAssertTrue("\($0)".contains("--steps"), "\($0)") }
    }
}
