import SRAutograd
@testable import SRModels
import SRTensor
import XCTest

/// Trainable architectures: the autograd forward equals the exported ncnn graph's, weight files
/// round-trip, and bad files give clear errors.
final class ZooTests: XCTestCase {
    func randomImage(h: Int, w: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return Tensor(c: 3, h: h, w: w, data: (0..<(3 * h * w)).map { _ in rng.unit() })
    }

    /// Perturbs every parameter so the test does not depend on the initialization's zeros.
    func jitter(_ net: any TrainableNetwork) {
        var rng = SeededRandom(seed: 99)
        for p in net.parameters { p.variable.value = p.variable.value.map { $0 + 0.05 * rng.normal() } }
    }

    func testSRVGGNetCompactExportMatchesAutograd() throws {
        for (act, base, scale) in [("prelu", "nearest", 2), ("relu", "bicubic", 4), ("leakyrelu", "bilinear", 3), ("prelu", "bicubic", 2)] {
            let net = try ArchitectureRegistry.make("srvgg_compact", config: ArchitectureConfig(["features": "8", "convs": "3", "activation": act, "base": base]),
                                                    scale: scale, seed: 1)
            jitter(net)
            let x = randomImage(h: 13, w: 11, seed: 5)
            let trained = net.forward(Variable(x), training: false).value
            let model = try LoadedModel(trained: net, name: "t")
            let inferred = try model.forward(x)
            XCTAssertEqual(inferred.shape, trained.shape)
            XCTAssertLessThan(inferred.maxAbsDifference(trained), 1e-4, "\(act) \(base) x\(scale)")
            // Through the tiled upscale path too.
            XCTAssertLessThan(try model.upscale(x).maxAbsDifference(trained), 1e-4)
        }
    }

    /// SRResNet: export folds batch norm (running statistics) into the convolutions and equals the
    /// eval-mode autograd forward.
    func testSRResNetExportMatchesEvalForward() throws {
        for (scale, base) in [(2, "none"), (4, "bicubic"), (3, "nearest")] {
            let net = try XCTUnwrap(try ArchitectureRegistry.make("srresnet", config: ArchitectureConfig(["features": "6", "blocks": "2", "base": base]),
                                                                  scale: scale, seed: 2) as? SRResNet)
            jitter(net)
            // Give the batch norms non-trivial running statistics with a few training-mode passes.
            for s in 0..<3 { _ = net.forward(Variable(Tensor(n: 2, c: 3, h: 9, w: 9, data: randomImage(h: 9, w: 18, seed: UInt64(s)).data)), training: true) }
            let x = randomImage(h: 10, w: 12, seed: 8)
            let trained = net.forward(Variable(x), training: false).value
            let inferred = try LoadedModel(trained: net, name: "r").forward(x)
            XCTAssertEqual(inferred.shape, [1, 3, 10 * scale, 12 * scale])
            XCTAssertLessThan(inferred.maxAbsDifference(trained), 1e-4, "x\(scale) \(base)")
            // The running statistics travel in the weight file.
            let loaded = try ArchitectureRegistry.load(SafeTensors(bytes: try net.safeTensors().serialized(), file: "r"), file: "r")
            XCTAssertLessThan(try LoadedModel(trained: loaded, name: "r").forward(x).maxAbsDifference(trained), 1e-4)
        }
    }

    /// FCSNet: the exported graph (Crop + ClassValue, or Crop + Softmax + expectation convolution)
    /// equals the eval forward; CS by class value gives only bin centres.
    func testFCSNetExportMatchesEvalForward() throws {
        for (mode, inference) in [("fcs", "class"), ("cs", "class"), ("fcs", "expectation"), ("cs", "expectation")] {
            let net = try XCTUnwrap(try ArchitectureRegistry.make("fcs_compact", config: ArchitectureConfig(["features": "6", "convs": "1", "hr_features": "4",
                                                                                            "classes": "16", "mode": mode, "inference": inference]),
                                                                  scale: 2, seed: 4) as? FCSNet)
            jitter(net)
            let x = randomImage(h: 7, w: 9, seed: 2)
            XCTAssertEqual(net.forward(Variable(x), training: true).value.shape, [1, 3 + 3 * 16, 14, 18])
            let expected = net.forward(Variable(x), training: false).value
            let inferred = try LoadedModel(trained: net, name: "f").forward(x)
            XCTAssertLessThan(inferred.maxAbsDifference(expected), 1e-4, "\(mode) \(inference)")
            if mode == "cs" && inference == "class" {
                let centres = Set(net.centres)
                XCTAssertTrue(inferred.data.allSatisfy { centres.contains($0) }, "class values are bin centres")
            }
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("fcs_compact", config: ArchitectureConfig(["inference": "mean"]), scale: 2))
        // The regression baseline: the same backbone, the low part alone, no classifier weights.
        let reg = try ArchitectureRegistry.make("fcs_compact", config: ArchitectureConfig(["features": "6", "convs": "1", "hr_features": "4",
                                                                                           "mode": "regression"]), scale: 2, seed: 4)
        jitter(reg)
        XCTAssertFalse(reg.parameters.contains { $0.name.hasPrefix("classifier") })
        let x = randomImage(h: 7, w: 9, seed: 2)
        let trained = reg.forward(Variable(x), training: true).value
        XCTAssertEqual(trained.shape, [1, 3, 14, 18])
        XCTAssertLessThan(try LoadedModel(trained: reg, name: "r").forward(x).maxAbsDifference(trained), 1e-4)
    }

    func testESPCNExportMatchesAutograd() throws {
        for scale in [2, 3] {
            let net = try ArchitectureRegistry.make("espcn", config: ArchitectureConfig(["features": "8"]), scale: scale, seed: 6)
            jitter(net)
            let x = randomImage(h: 9, w: 10, seed: 3)
            let expected = net.forward(Variable(x), training: false).value
            XCTAssertLessThan(try LoadedModel(trained: net, name: "e").forward(x).maxAbsDifference(expected), 1e-4)
        }
        XCTAssertEqual(Set(ArchitectureRegistry.factories.keys), ["srvgg_compact", "srresnet", "fcs_compact", "espcn", "fusion", "sr3_unet"])
    }

    /// FusionNet with each skip setting and the gated mix: the exported graph equals the eval
    /// forward; with a skip, the untrained net outputs its source exactly (x_R for 1, x_G for 2);
    /// gated (sigmoid, linear, linear + residual), the untrained net outputs the sources' mean, and
    /// a trained one a per-pixel mix of them (with the sigmoid, always between the two; with the
    /// residual, not always).
    func testFusionNetExportMatchesAutograd() throws {
        var rng = SeededRandom(seed: 12)
        let x = Tensor(c: 6, h: 8, w: 11, data: (0..<(6 * 88)).map { _ in rng.unit() })
        let sources = (0..<2).map { k in Array(x.data[k * 3 * 88..<(k + 1) * 3 * 88]) }
        for setting in ["skip": ["0", "1", "2"], "gate": ["1", "2", "3"]].flatMap({ key, values in values.map { (key, $0) } }) {
            let config = ArchitectureConfig(["features": "5", "blocks": "2", setting.0: setting.1])
            let fresh = try ArchitectureRegistry.make("fusion", config: config, scale: 1, seed: 7).forward(Variable(x), training: false).value
            if setting.0 == "skip", let skip = Int(setting.1), skip > 0 {
                let source = Tensor(c: 3, h: 8, w: 11, data: sources[skip - 1])
                XCTAssertEqual(fresh.maxAbsDifference(source), 0, "skip \(skip) starts from its source")
            }
            let net = try ArchitectureRegistry.make("fusion", config: config, scale: 1, seed: 7)
            jitter(net)
            let expected = net.forward(Variable(x), training: false).value
            XCTAssertEqual(expected.shape, [1, 3, 8, 11])
            XCTAssertLessThan(try net.inferenceNet().forward(input: x).maxAbsDifference(expected), 1e-4, "\(setting)")
            if setting.0 == "gate" {
                let mean = Tensor(c: 3, h: 8, w: 11, data: zip(sources[0], sources[1]).map { ($0 + $1) / 2 })
                XCTAssertLessThan(fresh.maxAbsDifference(mean), 1e-6, "the gate starts from the mean")
                for i in 0..<expected.count where setting.1 == "1" {
                    let (a, b) = (sources[0][i], sources[1][i])
                    XCTAssert(expected.data[i] >= min(a, b) - 1e-6 && expected.data[i] <= max(a, b) + 1e-6, "gated pixel \(i) between its sources")
                }
                XCTAssertGreaterThan(expected.maxAbsDifference(mean), 1e-3, "a trained gate is not the mean")
                // With equal sources a mix is that source; only the residual (gate 3) changes it.
                let same = Tensor(c: 6, h: 8, w: 11, data: sources[0] + sources[0])
                let change = net.forward(Variable(same), training: false).value.maxAbsDifference(Tensor(c: 3, h: 8, w: 11, data: sources[0]))
                if setting.1 == "3" { XCTAssertGreaterThan(change, 1e-3, "the residual corrects") } else { XCTAssertLessThan(change, 1e-5, "a mix of equal sources") }
            }
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("fusion", scale: 2))
        XCTAssertThrowsError(try ArchitectureRegistry.make("fusion", config: ArchitectureConfig(["skip": "3"]), scale: 1))
        XCTAssertThrowsError(try ArchitectureRegistry.make("fusion", config: ArchitectureConfig(["skip": "1", "gate": "1"]), scale: 1))
        XCTAssertThrowsError(try ArchitectureRegistry.make("fusion", config: ArchitectureConfig(["gate": "4"]), scale: 1))
    }

    func testSafeTensorsRoundTripAndLoad() throws {
        let net = try ArchitectureRegistry.make("srvgg_compact", config: ArchitectureConfig(["features": "4", "convs": "1"]), scale: 2, seed: 3)
        jitter(net)
        let bytes = try net.safeTensors(extra: ["steps": "10"]).serialized()
        let st = try SafeTensors(bytes: bytes, file: "t.safetensors")
        XCTAssertEqual(st.metadata["architecture"], "srvgg_compact")
        XCTAssertEqual(st.metadata["steps"], "10")
        XCTAssertEqual(st.tensors["body.0.weight"]?.shape, [4, 3, 3, 3])
        XCTAssertEqual(st.tensors["body.1.weight"]?.shape, [4])
        let loaded = try ArchitectureRegistry.load(st, file: "t.safetensors")
        for (a, b) in zip(net.parameters, loaded.parameters) { XCTAssertEqual(a.variable.value.data, b.variable.value.data, a.name) }
        XCTAssertEqual(net.parameterCount, 4 * 27 + 4 + 4 + 4 * 36 + 4 + 4 + 12 * 36 + 12)

        var wrong = st
        wrong.tensors["body.2.weight"] = .init(shape: [4, 4, 1, 1], values: [Float](repeating: 0, count: 16))
        XCTAssertThrowsError(try ArchitectureRegistry.load(wrong, file: "w.safetensors")) { e in
            XCTAssertEqual("\(e)", "w.safetensors: tensor 'body.2.weight' has shape [4, 4, 1, 1], the architecture needs [4, 4, 3, 3]")
        }
        var missing = st
        missing.tensors["body.0.bias"] = nil
        XCTAssertThrowsError(try ArchitectureRegistry.load(missing, file: "m.safetensors")) { e in
            XCTAssertEqual("\(e)", "m.safetensors: tensor 'body.0.bias' is missing")
        }
        XCTAssertThrowsError(try SafeTensors(bytes: [1, 2, 3], file: "x")) { e in XCTAssertTrue("\(e)".hasPrefix("x: shorter")) }
        // Crafted lengths (issue 22, case 8): 2^63 and 2^64 - 1 read as themselves, no overflow.
        for (top, text) in [(UInt8(0x80), "9223372036854775808"), (0xFF, "18446744073709551615")] {
            let crafted = [UInt8](repeating: top == 0x80 ? 0 : 0xFF, count: 7) + [top] + [UInt8](repeating: 0x20, count: 16)
            XCTAssertThrowsError(try SafeTensors(bytes: crafted, file: "h")) { e in
                XCTAssertEqual("\(e)", "h: header length \(text) does not fit in 24 bytes")
            }
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("srvgg_compact", config: ArchitectureConfig(["feats": "4"]), scale: 2)) { e in
            XCTAssertTrue("\(e)".contains("unknown setting 'feats'"), "\(e)")
        }
    }

    func testSafeTensorsReadsHalfPrecision() throws {
        // Header for one F16 tensor [2] = (1.0, -2.0) and one BF16 tensor [1] = 0.5.
        let json = #"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}"#
        let header = [UInt8](json.utf8)
        var bytes = (0..<8).map { UInt8((header.count >> (8 * $0)) & 0xFF) } + header
        bytes += [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x3F]
        let st = try SafeTensors(bytes: bytes, file: "h")
        XCTAssertEqual(st.tensors["a"]?.values, [1, -2])
        XCTAssertEqual(st.tensors["b"]?.values, [0.5])
    }
}
