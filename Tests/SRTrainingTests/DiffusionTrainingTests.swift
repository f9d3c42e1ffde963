import Foundation
import SRAutograd
import SRLosses
import SRModels
import SRPipeline
@testable import SRTraining
import XCTest

/// `upscale train` with an SR3 network (seed 001, seed 000's MSHF on the x̂0 estimate): the
/// denoising loss falls, every term is logged, the file loads as a diffusion model that `eval`
/// samples, and configs the U-Net cannot take are refused.
final class DiffusionTrainingTests: XCTestCase {
    func config(_ dirs: (train: String, val: String), output: String, steps: Int) -> TrainConfig {
        var c = TrainConfig(architecture: "sr3_unet", scale: 2, output: output)
        c.network = ArchitectureConfig(["features": "8", "levels": "2", "groups": "1", "embedding": "4", "steps": "4",
                                        "residual_scale": "4"])
        c.losses = [LossSpec(type: "mshf", weight: 0.5)]
        c.steps = steps; c.batch = 4; c.crop = 16; c.seed = 5; c.threads = 2
        c.schedule = LRSchedule(base: 2e-3, kind: .cosine(total: steps, minimum: 1e-4))
        c.trainDirs = [dirs.train]; c.valDirs = [dirs.val]
        c.validateEvery = 0; c.checkpointEvery = 0
        return c
    }

    func testSR3TrainsAndSamples() throws {
        let dirs = try dataDirs(), out = try tempDir() + "/sr3.safetensors"
        var terms: Set<String> = [], denoise: [Float] = []
        let r = try TrainJob.run(config(dirs, output: out, steps: 120)) { e in
            if case .step(_, _, _, let t, _, _) = e {
                for x in t { terms.insert(x.name) }
                if let d = t.first(where: { $0.name == "denoise" }) { denoise.append(d.value) }
            }
        }
        XCTAssertEqual(terms, ["denoise", "mshf"])
        let head = denoise.prefix(10).reduce(0, +) / 10, tail = denoise.suffix(20).reduce(0, +) / 20
        XCTAssertLessThan(tail, head * 0.7, "the denoising loss fell: \(head) -> \(tail)")
        XCTAssertNotNil(r.lastPSNRY)
        let model = try LoadedModel(weightsFile: out)
        XCTAssertEqual(model.diffusion?.steps, 4)
        XCTAssertEqual(model.scale, 2)
        let rows = try EvalJob.run(EvalConfig(models: [out], hr: dirs.val, scale: 2))
        let mean = rows.filter { $0.file == "mean" }
        XCTAssertEqual(mean.map(\.method), ["bicubic", "sr3"])
        XCTAssertEqual(try XCTUnwrap(mean.last?.psnrY), try XCTUnwrap(r.lastPSNRY), accuracy: 1e-6, "eval samples as validation did")

        var odd = config(dirs, output: out, steps: 1)
        odd.crop = 15
        odd.network.values["levels"] = "3"
        XCTAssertThrowsError(try odd.validate()) { XCTAssertTrue("\($0)".contains("multiple of 4"), "\($0)") }
        odd.crop = 16; odd.losses = [LossSpec(type: "adversarial", weight: 1e-3)]
        XCTAssertThrowsError(try odd.validate()) { XCTAssertTrue("\($0)".contains("adversarial"), "\($0)") }
    }
}
