import Foundation
import SRAutograd
import SRLosses
import SRModels
import SRPipeline
@testable import SRTraining
import XCTest

/// Seed 004's training details: loss targets read from the config and checked, and the
/// best-validation weights kept (`[validation] keep_best`).
final class FusionTrainingTests: XCTestCase {
    func testKeepBestSavesTheBestValidation() throws {
        let dirs = try dataDirs(), out = try tempDir() + "/best.safetensors"
        var c = TrainConfig(architecture: "srvgg_compact", scale: 2, output: out)
        c.network = ArchitectureConfig(["features": "8", "convs": "2", "base": "bicubic"])
        c.losses = [LossSpec(type: "l1")]
        // A learning rate this high makes validation PSNR go up and down.
        c.steps = 60; c.batch = 4; c.crop = 16; c.seed = 3; c.threads = 2
        c.schedule = LRSchedule(base: 2e-2, kind: .constant)
        c.trainDirs = [dirs.train]; c.valDirs = [dirs.val]
        c.validateEvery = 10; c.checkpointEvery = 0; c.keepBest = true
        var seen: [(step: Int, psnr: Double)] = []
        _ = try TrainJob.run(c) { e in if case .validated(let s, let p, _) = e { seen.append((s, p)) } }
        let best = try XCTUnwrap(seen.max { $0.psnr < $1.psnr })
        let st = try SafeTensors(contentsOf: out)
        XCTAssertEqual(st.metadata["kept_step"], "\(best.step)")
        let rows = try EvalJob.run(EvalConfig(models: [out], hr: dirs.val, scale: 2)).filter { $0.file == "mean" }
        XCTAssertEqual(try XCTUnwrap(rows.last?.psnrY), best.psnr, accuracy: 1e-6, "the saved weights are the best validation's")
        c.valDirs = []
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("keep_best"), "\($0)") }
    }

    func testLossTargetsAreReadAndNeedSources() throws {
        let dir = try tempDir(), path = dir + "/f.toml"
        let text = """
            output = "\(dir)/f.safetensors"
            scale = 4
            [network]
            type = "fusion"
            [fusion]
            sources = ["upscale-fast-x4", "upscale-gan-x4"]
            [[loss]]
            type = "contextual"
            target = "perceptual"
            weight = 0.05
            [data]
            train = ["\(dir)"]
            [validation]
            keep_best = true
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try TrainConfigFile.read(path)
        XCTAssertEqual(c.losses, [LossSpec(type: "contextual", weight: 0.05, target: .perceptual)])
        XCTAssertTrue(c.keepBest)
        try text.replacingOccurrences(of: "\"perceptual\"", with: "\"gan\"").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainConfigFile.read(path)) { XCTAssertTrue("\($0)".contains("loss[0].target"), "\($0)") }
        var plain = TrainConfig(architecture: "srvgg_compact", scale: 2, output: dir + "/p.safetensors")
        plain.trainDirs = [dir]
        plain.losses = [LossSpec(type: "l1", target: .fidelity)]
        XCTAssertThrowsError(try plain.validate()) { XCTAssertTrue("\($0)".contains("[fusion] sources"), "\($0)") }
    }
}
