import Foundation
import SRKernels
import SRMedia
@testable import SRModels
import SRTensor
import XCTest

/// The built-in models load with no models folder, are small, and reproduce their golden outputs
/// on a fixture crop (fixtures/builtin/NAME.png, 16-bit; `UPSCALE_WRITE_GOLDEN=1` rewrites them
/// after a model is retrained, and still fails where the old golden differed: rewriting never
/// turns a failing comparison into a pass).
final class BuiltinModelTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures").path

    func testEveryBuiltinModelLoadsAndMatchesItsGolden() throws {
        let photo = try ImageFile.read(path: Self.fixtures + "/photo-96x64.png").pixels
        let crop = Kernels.crop(photo, top: 16, left: 24, h: 32, w: 40)
        let emptyFolder = FileManager.default.temporaryDirectory.appendingPathComponent("no-models-\(UUID().uuidString)").path
        XCTAssertEqual(BuiltinModels.variants.map(\.name), ["upscale-real-x2", "upscale-real-x4", "upscale-fast-x2", "upscale-fast-x4", "upscale-gan-x4", "upscale-fcs-x4",
                                                        "upscale-fusion-x4", "upscale-sr3-x4"])
        for v in BuiltinModels.variants {
            let bytes = try XCTUnwrap(BuiltinModels.bytes(v.name), "\(v.name) is not compiled in")
            // The diffusion U-Net (1.6 M parameters, stored as F16) is the one large built-in model.
            let diffusion = v.name.hasPrefix("upscale-sr3")
            XCTAssertLessThan(bytes.count, diffusion ? 8 << 20 : 2 << 20, "\(v.name) is under 2 MB (diffusion: 8 MB)")
            let d = try ModelCatalog.locate(v.name, in: emptyFolder)
            XCTAssertTrue(d.isBuiltin)
            XCTAssertTrue(ModelCatalog.installed(in: emptyFolder).contains(d))
            let m = try LoadedModel(descriptor: d)
            XCTAssertEqual(m.scale, v.scale)
            XCTAssertLessThan(m.parameterCount, diffusion ? 2_000_000 : 200_000)
            XCTAssertEqual(m.diffusion != nil, diffusion)
            var out = try m.upscale(crop)
            out.clamp()
            XCTAssertEqual(out.shape, [1, 3, 32 * v.scale, 40 * v.scale])
            let golden = Self.fixtures + "/builtin/\(v.name).png"
            let expected = FileManager.default.fileExists(atPath: golden) ? try ImageFile.read(path: golden).pixels : nil
            if ProcessInfo.processInfo.environment["UPSCALE_WRITE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(atPath: Self.fixtures + "/builtin", withIntermediateDirectories: true)
                try ImageFile.write(RGBImage(pixels: out, bitDepth: 16), to: golden)
            }
            let old = try XCTUnwrap(expected, "\(v.name): no golden at \(golden)")
            XCTAssertTrue(old.sameShape(as: out), "\(v.name): golden has another shape")
            XCTAssertLessThan(old.sameShape(as: out) ? out.maxAbsDifference(old) : .infinity, 2e-4,
                              "\(v.name) output changed" + (expected != nil && ProcessInfo.processInfo.environment["UPSCALE_WRITE_GOLDEN"] == "1"
                                                               ? " (golden rewritten; run the test again to check it)" : ""))
            // And it does more than bicubic on this crop: not a constant or an identity.
            let bicubic = Kernels.imresize(crop, outH: out.h, outW: out.w)
            XCTAssertGreaterThan(out.maxAbsDifference(bicubic), 0.01)
        }
    }

    func testUnknownBuiltinNameIsNil() {
        XCTAssertNil(BuiltinModels.bytes("upscale-fast-x3"))
        XCTAssertNil(BuiltinModels.descriptor(named: "upscale-fast-x3"))
    }
}
