import Foundation
import SRAutograd
import SRLosses
import SRModels
import SRPipeline
import SRTensor
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

    /// `[diffusion] terms = "sample"`: the training image is the sampler's own output (same
    /// noise, same steps, same clamp), its gradient is the finite difference's, and the config
    /// key is parsed and refused where it cannot apply.
    func testSampleTermsTrainTheSamplerItself() throws {
        let config = ArchitectureConfig(["features": "8", "levels": "2", "groups": "1", "embedding": "4", "steps": "3", "residual_scale": "4"])
        let unet = try XCTUnwrap(try ArchitectureRegistry.make("sr3_unet", config: config, scale: 2, seed: 4) as? SR3UNet)
        var rng = SeededRandom(seed: 12)
        for p in unet.parameters { p.variable.value = p.variable.value.map { $0 + 0.05 * rng.normal() } }
        let lr = Tensor(c: 3, h: 8, w: 8, data: (0..<192).map { _ in rng.unit() })
        let base = try DiffusionSampler.base(lr, scale: 2, model: nil, context: .serial)
        let noise = DiffusionSchedule.noise(seed: 0, channels: 3, x: 0, y: 0, h: 16, w: 16)
        let trained = DiffusionStep.sampled(unet, base: base, noise: noise, context: .serial)
        let sampled = try LoadedModel(trained: unet, name: "sr3").upscale(lr)
        XCTAssertEqual(trained.value.shape, sampled.shape)
        XCTAssertGreaterThan(sampled.maxAbsDifference(base), 1e-2, "the residual is not nothing")
        XCTAssertLessThan(trained.value.maxAbsDifference(sampled), 2e-3, "training samples as the sampler does")
        XCTAssertLessThan(trained.value.meanAbsDifference(sampled), 2e-4)

        // d(sum of squares)/d(one weight) against a central difference through all three U-Net passes.
        let target = Tensor(n: 1, c: 3, h: 16, w: 16, data: base.data.map { 1 - $0 })
        func loss() -> Variable { (DiffusionStep.sampled(unet, base: base, noise: noise, context: .serial) - Variable(target)).square().sum() }
        let weight = try XCTUnwrap(unet.parameters.first { $0.variable.value.c > 1 }).variable
        weight.grad = nil
        loss().backward()
        let grad = try XCTUnwrap(weight.grad), k = grad.data.indices.max { abs(grad.data[$0]) < abs(grad.data[$1]) } ?? 0
        let h: Float = 1e-2, w0 = weight.value.data[k]
        weight.value.data[k] = w0 + h; let up = loss().scalar
        weight.value.data[k] = w0 - h; let down = loss().scalar
        weight.value.data[k] = w0
        XCTAssertGreaterThan(abs(grad.data[k]), 1e-3)
        XCTAssertEqual((up - down) / (2 * h), grad.data[k], accuracy: abs(grad.data[k]) * 0.05)

        let dirs = try dataDirs(), out = try tempDir() + "/sample.safetensors"
        var c = self.config(dirs, output: out, steps: 2)
        c.diffusionTerms = .sample; c.losses = [LossSpec(type: "l1", weight: 10)]
        var terms: Set<String> = []
        _ = try TrainJob.run(c) { e in if case .step(_, _, _, let t, _, _) = e { for x in t { terms.insert(x.name) } } }
        XCTAssertEqual(terms, ["denoise", "l1"])
        let toml = "output = \"m.safetensors\"\nscale = 2\n[network]\ntype = \"sr3_unet\"\n[data]\ntrain = [\"t\"]\n"
        XCTAssertEqual(try TrainConfigFile.parse(toml + "[diffusion]\nterms = \"sample\"\n", file: "s.toml").diffusionTerms, .sample)
        XCTAssertEqual(try TrainConfigFile.parse(toml, file: "s.toml").diffusionTerms, .estimate)
        XCTAssertThrowsError(try TrainConfigFile.parse(toml + "[diffusion]\nterms = \"final\"\n", file: "s.toml")) {
            XCTAssertTrue("\($0)".contains("diffusion.terms: must be estimate or sample"), "\($0)")
        }
        var regression = TrainConfig(architecture: "srvgg_compact", scale: 2, output: out)
        regression.trainDirs = [dirs.train]; regression.diffusionTerms = .sample
        XCTAssertThrowsError(try regression.validate()) { XCTAssertTrue("\($0)".contains("sr3_unet"), "\($0)") }
    }
}
