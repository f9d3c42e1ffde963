import Foundation
import SRTensor
import XCTest
import SRModels

/// Our forward pass against outputs of the real ncnn runtime on the same input
/// (fixtures/ncnn-reference/<model>.png, made from fixtures/photo-96x64.png).
///
/// Skipped, visibly, when the models are not installed (`make models`) or the fixtures are
/// missing. The two RRDBNet models are the heavy ones (about 70 and 220 GFLOP here, a few
/// seconds with the fast kernels); set `UPSCALE_SKIP_HEAVY_PARITY=1` to skip them.
final class NCNNParityTests: XCTestCase {
    static let tolerance: Float = 2e-3
    static let heavy: Set<String> = ["realesrgan-x4plus", "realesrgan-x4plus-anime"]

    private func check(_ names: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = ModelCatalog.modelsDirectory
        let installed = Set(ModelCatalog.installed(in: folder).map(\.name))
        let present = names.filter(installed.contains)
        if present.isEmpty { throw XCTSkip("models not installed in \(folder): run make models") }
        if ProcessInfo.processInfo.environment["UPSCALE_SKIP_HEAVY_PARITY"] == "1", names.allSatisfy(Self.heavy.contains) {
            throw XCTSkip("heavy parity test skipped (UPSCALE_SKIP_HEAVY_PARITY=1)")
        }
        let fixtures = packageRoot.appendingPathComponent("fixtures").path
        let inputPath = fixtures + "/photo-96x64.png"
        guard FileManager.default.fileExists(atPath: inputPath) else { throw XCTSkip("fixture missing: \(inputPath)") }
        let input = try decodeImage(inputPath)
        var checked = 0
        for name in present {
            let refPath = fixtures + "/ncnn-reference/\(name).png"
            guard FileManager.default.fileExists(atPath: refPath) else {
                print("parity \(name): no reference \(refPath), skipped")
                continue
            }
            let expected = try decodeImage(refPath)
            let model = try LoadedModel(descriptor: try ModelCatalog.locate(name, in: folder))
            let start = Date()
            var y = try model.upscale(input)
            for i in 0..<y.count { y.data[i] = min(max(y.data[i], 0), 1) }
            XCTAssertEqual(y.shape, expected.shape, name, file: file, line: line)
            guard y.sameShape(as: expected) else { continue }
            let err = y.maxAbsDifference(expected)
            print(String(format: "parity %@: max abs error %.6f (%.1f s)", name, err, Date().timeIntervalSince(start)))
            XCTAssertLessThanOrEqual(err, Self.tolerance, "\(name) max abs error", file: file, line: line)
            checked += 1
        }
        if checked == 0 { throw XCTSkip("no ncnn reference outputs in \(fixtures)/ncnn-reference") }
    }

    func testRealESRAnimeVideoV3() throws {
        try check((2...4).map { "realesr-animevideov3-x\($0)" })
    }

    func testWaifu2xUpConv7Anime() throws {
        try check(["waifu2x-upconv7-anime-x2"] + (0...3).map { "waifu2x-upconv7-anime-noise\($0)-x2" })
    }

    func testWaifu2xUpConv7Photo() throws {
        try check(["waifu2x-upconv7-photo-x2"] + (0...3).map { "waifu2x-upconv7-photo-noise\($0)-x2" })
    }

    func testWaifu2xCUNet() throws {
        try check(["waifu2x-cunet-x2"] + (0...3).map { "waifu2x-cunet-noise\($0)-x2" }
                  + (0...3).map { "waifu2x-cunet-noise\($0)-x1" })
    }

    /// The fused graph (PReLU folded into convolutions) equals the unfused one, and several
    /// threads running the same model at once get the same result as one thread.
    func testFusionAndConcurrentUseAgree() throws {
        let folder = ModelCatalog.modelsDirectory
        guard let d = ModelCatalog.installed(in: folder).first(where: { $0.name == "realesr-animevideov3-x2" }) else {
            throw XCTSkip("models not installed in \(folder): run make models")
        }
        let model = try LoadedModel(descriptor: d)
        let unfused = try NCNNNet(paramPath: d.paramPath, binPath: d.binPath, fuse: false)
        XCTAssertLessThan(model.net.nodes.count, unfused.nodes.count)
        let x = Tensor(c: 3, h: 20, w: 28, data: pseudoRandom(3 * 20 * 28, seed: 42).map { ($0 + 1) / 2 })
        let y = try model.forward(x)
        XCTAssertLessThan(y.maxAbsDifference(try unfused.forward(input: x)), 1e-5)
        let results = ResultSlots(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { i in results.set(i, try? model.forward(x)) }
        for i in 0..<4 { XCTAssertEqual(results.get(i), y, "worker \(i)") }
    }

    /// Images smaller than the networks' strides and paddings still give `scale x input`.
    func testTinyInputs() throws {
        let folder = ModelCatalog.modelsDirectory
        let names = ["waifu2x-cunet-x2", "waifu2x-cunet-noise0-x1", "waifu2x-upconv7-photo-x2", "realesr-animevideov3-x3"]
        let present = ModelCatalog.installed(in: folder).filter { names.contains($0.name) }
        if present.isEmpty { throw XCTSkip("models not installed in \(folder): run make models") }
        for d in present {
            let model = try LoadedModel(descriptor: d)
            for (h, w) in [(1, 1), (2, 3), (5, 1)] {
                let x = Tensor(c: 3, h: h, w: w, repeating: 0.5)
                let y = try model.upscale(x)
                XCTAssertEqual(y.shape, [1, 3, h * d.scale, w * d.scale], "\(d.name) \(h)x\(w)")
                XCTAssertLessThan(y.data.map { abs($0 - 0.5) }.max() ?? 1, 0.1, "\(d.name) \(h)x\(w) on flat gray")
            }
        }
    }

    func testRealESRGANx4plusAnime() throws {
        try check(["realesrgan-x4plus-anime"])
    }

    func testRealESRGANx4plus() throws {
        try check(["realesrgan-x4plus"])
    }
}

/// Results slots written by concurrent workers (each writes only its own index, under a lock).
final class ResultSlots: @unchecked Sendable {
    private var items: [Tensor?]
    private let lock = NSLock()
    init(count: Int) { items = [Tensor?](repeating: nil, count: count) }
    func set(_ i: Int, _ t: Tensor?) { lock.lock(); items[i] = t; lock.unlock() }
    func get(_ i: Int) -> Tensor? { lock.lock(); defer { lock.unlock() }; return items[i] }
}
