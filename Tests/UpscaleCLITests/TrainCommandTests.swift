import Foundation
import XCTest

/// `upscale train`: every committed training config checks out; a bad config gives one line
/// naming the file and key, exit 1, and trains nothing.
final class TrainCommandTests: XCTestCase {
    func testCommittedConfigsCheck() throws {
        let dir = CLIRunner.packageRoot.appendingPathComponent("presets/training")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") }.sorted()
        XCTAssertEqual(files, ["upscale-fast-x2.toml", "upscale-fast-x4.toml", "upscale-fcs-x4.toml", "upscale-fusion-x4.toml", "upscale-gan-x4.toml", "upscale-real-x2.toml", "upscale-real-x4.toml", "upscale-sr3-x4-base.toml", "upscale-sr3-x4.toml"])
        let ablation = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/ablation").filter { $0.hasSuffix(".toml") }.sorted()
        XCTAssertEqual(ablation, ["x2-srgan.toml", "x2-srresnet.toml", "x4-cs.toml", "x4-fcs-baseline.toml", "x4-fusion-gate-linear.toml", "x4-fusion-gate.toml", "x4-fusion-paper.toml", "x4-fusion-residual-cx.toml", "x4-fusion-residual-paper-loss.toml", "x4-fusion-skip-g-lpips1.toml", "x4-fusion-skip-g.toml", "x4-fusion-skip.toml", "x4-l1-lpips.toml", "x4-l1-mshf-paper.toml", "x4-l1-mshf.toml", "x4-l1.toml", "x4-sr3-lpips.toml", "x4-sr3-no-mshf.toml", "x4-sr3-real-base-lpips.toml", "x4-sr3-real-base.toml", "x4-sr3-sample.toml", "x4-srgan-no-tv.toml", "x4-srgan.toml", "x4-srresnet.toml"])
        let examples = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/examples").filter { $0.hasSuffix(".toml") }.sorted()
        XCTAssertEqual(examples, ["espcn-x2.toml", "fcs-cs-x4.toml", "srgan-x4.toml", "srresnet-x4.toml"])
        for f in files + ablation.map({ "ablation/" + $0 }) + examples.map({ "examples/" + $0 }) {
            let r = try CLIRunner.run(["train", dir.appendingPathComponent(f).path, "--check"])
            XCTAssertEqual(r.status, 0, "\(f): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("parameters; losses"), r.stdout)
            if f.contains("sr3") { XCTAssertTrue(r.stdout.contains(f.contains("sample") || f == "upscale-sr3-x4.toml" ? "(terms on the sampler's image)" : "(terms on the x0 estimate)"), r.stdout) }
        }
    }

    func testFlagsOverrideTheConfig() throws {
        let config = CLIRunner.packageRoot.appendingPathComponent("presets/training/upscale-fast-x2.toml").path
        let r = try CLIRunner.run(["train", config, "--check", "--steps", "12", "--seed", "5", "-o", "/tmp/x.safetensors"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("12 steps of 16 x 48px, seed 5; output /tmp/x.safetensors"), r.stdout)
    }

    func testBadConfigsSayWhatIsWrong() throws {
        let dir = try CLIRunner.tempDir()
        let cases: [(String, String)] = [
            ("scale = 2\noutput = \"x.safetensors\"\n[network]\ntype = \"srvgg\"\n", "unknown architecture 'srvgg'"),
            ("scale = 2\noutput = \"x.safetensors\"\nstep = 5\n[network]\ntype = \"srvgg_compact\"\n", "bad.toml: step: unknown key"),
            ("scale = 2\noutput = \"x.safetensors\"\n[network]\ntype = \"srvgg_compact\"\nfeatures = 0\n", "features must be an integer in 1...512"),
            ("scale = 2\noutput = \"x.safetensors\"\n[network]\ntype = \"srvgg_compact\"\n[[loss]]\ntype = \"perceptual\"\n", "unknown loss 'perceptual'"),
            ("scale = 2\noutput = \"x.safetensors\"\n[network]\ntype = \"srvgg_compact\"\n[optimizer]\nschedule = \"linear\"\n", "optimizer.schedule: must be constant, step or cosine"),
            ("scale = 2\n[network]\ntype = \"srvgg_compact\"\n", "output: is required"),
            ("scale = 2\noutput = \"x.safetensors\"\n[network\n", "bad.toml:3:"),
        ]
        for (text, expected) in cases {
            let path = dir.appendingPathComponent("bad.toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let r = try CLIRunner.run(["train", path, "--check"])
            XCTAssertEqual(r.status, 1, text)
            XCTAssertTrue(r.stderr.contains(expected), "\(expected) not in: \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        let missing = try CLIRunner.run(["train", dir.path + "/none.toml"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.toml"), missing.stderr)
    }
}
