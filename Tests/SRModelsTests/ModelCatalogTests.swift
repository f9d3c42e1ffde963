import Foundation
import XCTest
import SRModels

final class ModelCatalogTests: XCTestCase {
    static let expectedNames = ["upscale-real-x2", "upscale-real-x4", "upscale-fast-x2", "upscale-fast-x4", "upscale-gan-x4", "upscale-fcs-x4",
                                "upscale-fusion-x4", "upscale-sr3-x4", "realesr-animevideov3-x2", "realesr-animevideov3-x3", "realesr-animevideov3-x4",
                                "realesrgan-x4plus", "realesrgan-x4plus-anime"]
        + ["anime", "photo"].flatMap { k in ["waifu2x-upconv7-\(k)-x2"] + (0...3).map { "waifu2x-upconv7-\(k)-noise\($0)-x2" } }
        + ["waifu2x-cunet-x2"] + (0...3).map { "waifu2x-cunet-noise\($0)-x2" } + (0...3).map { "waifu2x-cunet-noise\($0)-x1" }

    private func tempFolder(with names: [String]) throws -> String {
        let dir = NSTemporaryDirectory() + "srmodels-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for n in names { _ = FileManager.default.createFile(atPath: dir + "/" + n, contents: Data()) }
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testKnowsEveryModelName() {
        XCTAssertEqual(Set(ModelCatalog.knownNames), Set(Self.expectedNames))
        XCTAssertEqual(ModelCatalog.knownNames.count, Self.expectedNames.count)
    }

    func testDescriptorsCarryTheInputConvention() throws {
        let d = try XCTUnwrap(ModelCatalog.descriptor(named: "waifu2x-cunet-noise2-x1", in: "/m"))
        XCTAssertEqual(d.family, "waifu2x-cunet")
        XCTAssertEqual(d.scale, 1)
        XCTAssertEqual(d.noiseLevel, 2)
        XCTAssertEqual(d.prepadding, 28)
        XCTAssertEqual(d.alignment, 4)
        XCTAssertEqual(d.paramPath, "/m/waifu2x-cunet-noise2-x1.param")
        XCTAssertEqual(d.binPath, "/m/waifu2x-cunet-noise2-x1.bin")
        let c2 = try XCTUnwrap(ModelCatalog.descriptor(named: "waifu2x-cunet-x2", in: "/m"))
        XCTAssertEqual([c2.prepadding, c2.alignment, c2.scale], [18, 4, 2])
        let u = try XCTUnwrap(ModelCatalog.descriptor(named: "waifu2x-upconv7-photo-noise3-x2", in: "/m"))
        XCTAssertEqual([u.prepadding, u.alignment, u.scale, u.noiseLevel ?? -1], [7, 1, 2, 3])
        let r = try XCTUnwrap(ModelCatalog.descriptor(named: "realesr-animevideov3-x3", in: "/m"))
        XCTAssertEqual([r.prepadding, r.alignment, r.scale], [0, 1, 3])
        XCTAssertEqual(r.architecture, "SRVGGNetCompact (ncnn)")
        XCTAssertEqual(ModelCatalog.descriptor(named: "realesrgan-x4plus", in: "/m")?.architecture, "RRDBNet (ncnn)")
        XCTAssertNil(ModelCatalog.descriptor(named: "realesrgan-x2plus", in: "/m"))
    }

    func testSuggestsCloseNames() {
        XCTAssertEqual(ModelCatalog.suggestions(for: "realesr-animevideo-x2"), ["realesr-animevideov3-x2"])
        XCTAssertEqual(ModelCatalog.suggestions(for: "realesrgan-x4plus-anim"), ["realesrgan-x4plus-anime"])
        XCTAssertTrue(ModelCatalog.suggestions(for: "waifu2x-cunet-noise5-x2").contains("waifu2x-cunet-noise0-x2"))
        XCTAssertEqual(ModelCatalog.suggestions(for: "completely-different-thing"), [])
        XCTAssertEqual(ModelCatalog.editDistance("kitten", "sitting"), 3)
    }

    func testUnknownModelErrorListsCloseNamesAndHintsWhenEmpty() throws {
        let empty = try tempFolder(with: [])
        XCTAssertThrowsError(try ModelCatalog.locate("realesr-animevideo-x2", in: empty)) { e in
            XCTAssertEqual("\(e)", "unknown model 'realesr-animevideo-x2' (did you mean realesr-animevideov3-x2?); "
                           + "no models installed in \(empty): run `make models`")
        }
        let full = try tempFolder(with: ["realesr-animevideov3-x2.param", "realesr-animevideov3-x2.bin"])
        XCTAssertThrowsError(try ModelCatalog.locate("realesr-animevideo-x2", in: full)) { e in
            XCTAssertEqual("\(e)", "unknown model 'realesr-animevideo-x2' (did you mean realesr-animevideov3-x2?)")
        }
    }

    func testScaleVariantsAndInstallation() throws {
        let dir = try tempFolder(with: ["realesr-animevideov3-x2.param", "realesr-animevideov3-x2.bin",
                                        "realesr-animevideov3-x4.param", "realesr-animevideov3-x4.bin",
                                        "realesrgan-x4plus.param"])
        XCTAssertEqual(ModelCatalog.installed(in: dir).map(\.name),
                       ["upscale-real-x2", "upscale-real-x4", "upscale-fast-x2", "upscale-fast-x4", "upscale-gan-x4", "upscale-fcs-x4",
                        "upscale-fusion-x4", "upscale-sr3-x4", "realesr-animevideov3-x2", "realesr-animevideov3-x4"],
                       "built-ins are always installed")
        XCTAssertEqual(try ModelCatalog.locate("realesr-animevideov3-x2", scale: 4, in: dir).name, "realesr-animevideov3-x4")
        XCTAssertEqual(try ModelCatalog.locate("realesr-animevideov3", scale: 2, in: dir).name, "realesr-animevideov3-x2")
        XCTAssertThrowsError(try ModelCatalog.locate("realesrgan-x4plus", scale: 3, in: dir)) { e in
            XCTAssertEqual("\(e)", "model 'realesrgan-x4plus' has no x3 variant (available: x4)")
        }
        XCTAssertThrowsError(try ModelCatalog.locate("realesrgan-x4plus", in: dir)) { e in
            XCTAssertEqual(e as? ModelError, .notInstalled(name: "realesrgan-x4plus", folder: dir))
        }
        XCTAssertThrowsError(try ModelCatalog.locate("realesr-animevideov3-x3", in: dir)) { e in
            XCTAssertTrue("\(e)".contains("make models"), "\(e)")
        }
    }

    func testModelsDirectoryFollowsEnvironment() {
        let old = ProcessInfo.processInfo.environment["UPSCALE_MODELS"]
        defer { if let old { setenv("UPSCALE_MODELS", old, 1) } else { unsetenv("UPSCALE_MODELS") } }
        setenv("UPSCALE_MODELS", "/some/where", 1)
        XCTAssertEqual(ModelCatalog.modelsDirectory, "/some/where")
        unsetenv("UPSCALE_MODELS")
        XCTAssertTrue(ModelCatalog.modelsDirectory.hasSuffix("/.cache/upscale/models"))
    }
}
