import Foundation
import SRAutograd
import SRKernels
import SRLosses
import SRMedia
import SRModels
import SRPipeline
@testable import SRTraining
import SRTensor
import SRDegrade
import XCTest

/// `upscale train` end to end on a tiny net: the loss falls, validation PSNR rises above its
/// start, a resumed run equals an uninterrupted one, and the result runs through `eval`.
final class TrainJobTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures").path

    func tinyConfig(_ dirs: (train: String, val: String), output: String, steps: Int) -> TrainConfig {
        var c = TrainConfig(architecture: "srvgg_compact", scale: 2, output: output)
        c.network = ArchitectureConfig(["features": "8", "convs": "2", "base": "bicubic"])
        c.losses = [LossSpec(type: "l1"), LossSpec(type: "tv", weight: 0.01)]
        c.steps = steps; c.batch = 4; c.crop = 16; c.seed = 3; c.threads = 2
        c.schedule = LRSchedule(base: 2e-3, kind: .cosine(total: steps, minimum: 1e-4))
        c.trainDirs = [dirs.train]; c.valDirs = [dirs.val]
        c.validateEvery = 50; c.checkpointEvery = 0
        return c
    }

    func testTinyNetLearns() throws {
        let dirs = try dataDirs(), out = try tempDir() + "/tiny.safetensors"
        var validations: [(Double, Double)] = [], terms: Set<String> = []
        let r = try TrainJob.run(tinyConfig(dirs, output: out, steps: 300)) { e in
            if case .validated(_, let p, let b) = e { validations.append((p, b)) }
            if case .step(_, _, _, let t, _, _) = e { for x in t { terms.insert(x.name) } }
        }
        XCTAssertEqual(terms, ["l1", "tv"], "every loss term is reported")
        XCTAssertEqual(validations.count, 7, "before the first step, then every 50")
        XCTAssertLessThan(r.lastLoss, r.firstLoss * 0.7, "loss fell: \(r.firstLoss) -> \(r.lastLoss)")
        let first = try XCTUnwrap(validations.first), last = try XCTUnwrap(validations.last)
        XCTAssertGreaterThan(last.0, first.0 + 0.2, "validation PSNR-Y rose: \(first.0) -> \(last.0)")
        XCTAssertGreaterThan(last.0, last.1, "beats bicubic: \(last.0) vs \(last.1)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".ckpt"), "the checkpoint is removed at the end")

        // The saved model runs through eval (and so through the tiled engine).
        let rows = try EvalJob.run(EvalConfig(models: [out], hr: dirs.val, scale: 2))
        let mean = rows.filter { $0.file == "mean" }
        XCTAssertEqual(mean.map(\.method), ["bicubic", "tiny"])
        XCTAssertEqual(mean[1].psnrY, last.0, accuracy: 1e-6, "eval on whole images equals the last validation")
        XCTAssertEqual(mean[0].psnrY, last.1, accuracy: 1e-6)
    }

    func testResumeEqualsUninterruptedRun() throws {
        let dirs = try dataDirs(), root = try tempDir()
        var straight = tinyConfig(dirs, output: root + "/a.safetensors", steps: 24)
        straight.valDirs = []
        _ = try TrainJob.run(straight)

        var split = straight
        split.output = root + "/not-yet/b.safetensors"  // a folder that does not exist yet is made
        let cancel = CancelFlag()
        XCTAssertThrowsError(try TrainJob.run(split, cancel: cancel) { e in
            if case .step(let s, _, _, _, _, _) = e, s == 10 { cancel.cancel() }
        }) { e in XCTAssertEqual("\(e)", "\(PipelineError.interrupted)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: split.checkpointPath), "Ctrl-C leaves a checkpoint")
        XCTAssertFalse(FileManager.default.fileExists(atPath: split.output), "and no model")
        var resumedAt = -1
        _ = try TrainJob.run(split, resume: true) { e in if case .resumed(let s) = e { resumedAt = s } }
        XCTAssertEqual(resumedAt, 10)
        let a = try SafeTensors(contentsOf: straight.output), b = try SafeTensors(contentsOf: split.output)
        for (name, t) in a.tensors { XCTAssertEqual(t.values, b.tensors[name]?.values, name) }
    }

    /// A GAN run: the adversarial term and the discriminator's loss are logged, and a resumed run
    /// (discriminator state included) equals an uninterrupted one; fine-tuning starts from given weights.
    func testAdversarialTrainingResumesExactly() throws {
        let dirs = try dataDirs(), root = try tempDir()
        var base = tinyConfig(dirs, output: root + "/base.safetensors", steps: 6)
        base.valDirs = []
        _ = try TrainJob.run(base)
        var gan = base
        gan.output = root + "/gan-a.safetensors"
        gan.initFrom = base.output
        gan.losses = [LossSpec(type: "l1"), LossSpec(type: "adversarial", weight: 1e-3)]
        gan.discriminatorFeatures = 4
        gan.steps = 8
        var names: Set<String> = []
        _ = try TrainJob.run(gan) { e in if case .step(_, _, _, let t, _, _) = e { for x in t { names.insert(x.name) } } }
        XCTAssertEqual(names, ["l1", "adversarial", "d"])

        var split = gan
        split.output = root + "/gan-b.safetensors"
        let cancel = CancelFlag()
        XCTAssertThrowsError(try TrainJob.run(split, cancel: cancel) { e in
            if case .step(let s, _, _, _, _, _) = e, s == 4 { cancel.cancel() }
        })
        _ = try TrainJob.run(split, resume: true)
        let a = try SafeTensors(contentsOf: gan.output), b = try SafeTensors(contentsOf: split.output)
        for (name, t) in a.tensors { XCTAssertEqual(t.values, b.tensors[name]?.values, name) }
        XCTAssertThrowsError(try TrainJob.run({ var c = gan; c.initFrom = "/nonexistent.safetensors"; return c }())) {
            XCTAssertTrue("\($0)".contains("neither a file nor a built-in model"), "\($0)")
        }
    }

    /// Seed 004's fusion net trains on the outputs of two source models and the saved file runs as
    /// a model (its sources named in its metadata), through eval's tiled path.
    func testFusionNetTrainsOnTwoSourcesAndRunsAsAModel() throws {
        let dirs = try dataDirs(), root = try tempDir()
        var other = tinyConfig(dirs, output: root + "/other.safetensors", steps: 6)
        other.valDirs = []
        _ = try TrainJob.run(other)
        var fusion = tinyConfig(dirs, output: root + "/fused.safetensors", steps: 20)
        fusion.architecture = "fusion"
        // With the x_R skip (not the paper's topology), 20 steps already beat bicubic.
        fusion.network = ArchitectureConfig(["features": "4", "blocks": "1", "skip": "1"])
        fusion.fusionSources = ["upscale-fast-x2", other.output]
        fusion.validateEvery = 0
        var psnr: [Double] = []
        _ = try TrainJob.run(fusion) { e in if case .validated(_, let p, _) = e { psnr.append(p) } }
        XCTAssertEqual(psnr.count, 2)
        let model = try LoadedModel(weightsFile: fusion.output)
        XCTAssertEqual(model.sources.map(\.descriptor.name), ["upscale-fast-x2", "other"])
        XCTAssertEqual(model.scale, 2)
        let rows = try EvalJob.run(EvalConfig(models: [fusion.output, "upscale-fast-x2"], hr: dirs.val, scale: 2))
        let mean = rows.filter { $0.file == "mean" }
        XCTAssertEqual(mean.map(\.method), ["bicubic", "fused", "upscale-fast-x2"])
        XCTAssertEqual(mean[1].psnrY, psnr[1], accuracy: 1e-6)
        XCTAssertGreaterThan(mean[1].psnrY, mean[0].psnrY, "the fused output beats bicubic")
        var bad = fusion
        bad.fusionSources = nil
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("fusion.sources"), "\($0)") }
    }

    func testConfigErrorsNameTheProblem() {
        var c = TrainConfig(architecture: "srvgg_compact", scale: 2, output: "/tmp/x.safetensors")
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("no training images"), "\($0)") }
        c.trainDirs = ["/nonexistent"]
        c.losses = [LossSpec(type: "lpips2")]
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("unknown loss 'lpips2'"), "\($0)") }
        c.losses = [LossSpec(type: "l1"), LossSpec(type: "tv", weight: 0.01)]; c.output = "/tmp/x.pth"
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains(".safetensors"), "\($0)") }
        c.output = "/tmp/x.safetensors"
        XCTAssertThrowsError(try TrainJob.run(c)) { XCTAssertTrue("\($0)".contains("'/nonexistent' does not exist"), "\($0)") }
    }

    func testSamplerIsDeterministicAndAligned() throws {
        let dirs = try dataDirs()
        let images = try TrainingImages(folders: [dirs.train], scale: 2, minSide: 16)
        let s = PairSampler(images: images, batch: 3, crop: 16, seed: 9)
        let a = s.batch(5), b = s.batch(5), c = s.batch(6)
        XCTAssertTrue(a.lr == b.lr && a.hr == b.hr, "batch k is a function of k"); XCTAssertFalse(a.lr == c.lr)
        XCTAssertEqual(a.lr.shape, [3, 3, 16, 16]); XCTAssertEqual(a.hr.shape, [3, 3, 32, 32])
        // LR is the bicubic shrink of HR: shrinking the HR crop again stays close (edges aside).
        let again = Kernels.imresize(a.hr.image(0), outH: 16, outW: 16)
        let inner = Kernels.crop(again, top: 3, left: 3, h: 10, w: 10), lr = Kernels.crop(a.lr.image(0), top: 3, left: 3, h: 10, w: 10)
        XCTAssertLessThan(inner.maxAbsDifference(lr), 0.02)
        // Degradations change LR only, deterministically.
        let d = PairSampler(images: images, batch: 3, crop: 16, seed: 9, blurSigma: 1...1, noiseSigma: 0.02...0.02, degradeProbability: 1)
        let da = d.batch(5), db = d.batch(5)
        XCTAssertTrue(da.lr == db.lr, "deterministic")
        XCTAssertTrue(da.hr.image(0) == a.hr.image(0), "the first crop is drawn before any degradation")
        XCTAssertFalse(da.lr.image(0) == a.lr.image(0), "and its LR is degraded")
        // JPEG: a libavcodec round trip changes LR by compression-sized amounts.
        let j = PairSampler(images: images, batch: 3, crop: 16, seed: 9, jpegQScale: 20...20, degradeProbability: 1)
        let ja = j.batch(5)
        XCTAssertTrue(ja.hr.image(0) == a.hr.image(0))
        let diff = ja.lr.image(0).maxAbsDifference(a.lr.image(0))
        XCTAssertGreaterThan(diff, 0.01); XCTAssertLessThan(diff, 0.6)
        XCTAssertTrue(j.batch(5).lr == ja.lr, "deterministic")
    }

    func testDegradationModelMakesLRFromHRReproducibly() throws {
        let dirs = try dataDirs()
        let images = try TrainingImages(folders: [dirs.train], scale: 2, minSide: 24)
        var g = DegradationConfig()
        g.clean = 0
        let plain = PairSampler(images: images, batch: 4, crop: 24, seed: 4)
        let d = PairSampler(images: images, batch: 4, crop: 24, seed: 4, degradation: g)
        let a = d.batch(2), b = d.batch(2), p = plain.batch(2)
        XCTAssertTrue(a.lr == b.lr && a.hr == b.hr, "batches are reproducible")
        XCTAssertEqual(a.lr.shape, [4, 3, 24, 24])
        XCTAssertTrue(a.hr.image(0) == p.hr.image(0), "the HR crops are the plain sampler's")
        for i in 0..<4 {
            // Against the bicubic shrink of its own HR crop (later crops are drawn after the first one's degradation).
            let x = a.lr.image(i).data, y = Kernels.imresize(a.hr.image(i), outH: 24, outW: 24).data
            var sum: Float = 0
            for j in x.indices { sum += abs(x[j] - y[j]) }
            let mean = sum / Float(x.count)
            XCTAssertGreaterThan(mean, 0.001, "crop \(i) is degraded"); XCTAssertLessThan(mean, 0.12, "crop \(i) is the same picture")
        }
    }

    func testDegradationTableIsReadAndChecked() throws {
        let base = """
        output = "m.safetensors"
        scale = 2
        [network]
        type = "srvgg_compact"
        [data]
        train = ["t"]
        """
        let c = try TrainConfigFile.parse(base + "\n[data.degradation]\nclean = 0.5\nh264_crf = [20, 30]\nblur = [0.3, 1.0]\nframes = 2\n", file: "d.toml")
        let g = try XCTUnwrap(c.degradation)
        XCTAssertEqual(g.clean, 0.5); XCTAssertEqual(g.h264CRF, 20...30); XCTAssertEqual(g.blurSigma, 0.3...1.0); XCTAssertEqual(g.frames, 2)
        XCTAssertNil(try TrainConfigFile.parse(base, file: "d.toml").degradation)
        for (bad, words) in [("h264_crf = [20, 70]", "data.degradation.h264_crf"), ("clean = 2", "data.degradation.clean"),
                             ("blurr = [1, 2]", "d.toml: data.degradation.blurr: unknown key"), ("blur = [2, 1]", "low <= high"),
                             ("kernel_size = [7.5, 9]", "integers")] {
            XCTAssertThrowsError(try TrainConfigFile.parse(base + "\n[data.degradation]\n" + bad + "\n", file: "d.toml")) {
                XCTAssertTrue("\($0)".contains(words), "\(bad): \($0)")
            }
        }
    }
}
