import Dispatch
import Foundation
import SRKernels
import SRMedia
import SRPipeline
import SRTensor
import XCTest

/// Every runner has its own execution context: concurrent jobs with different thread counts do not
/// disturb each other, and the Winograd policy is a per-runner option.
final class ExecutionContextTests: XCTestCase {
    let fixture = TiledModelTests.root.appendingPathComponent("fixtures/photo-96x64.png").path

    func testTwoRunnersWithDifferentThreadCountsAtOnce() throws {
        let up = try ScaleStageResolver.resolve(model: nil, scale: 2)
        XCTAssertEqual(up.name, "upscale-real-x2")
        let x = try ImageFile.read(path: fixture).pixels
        let reference = try up.upscale(x)
        let one = try TileOptions(tile: 0, threads: 1).tiledRunner(for: up, width: x.w, height: x.h)
        let two = try TileOptions(tile: 0, threads: 2).tiledRunner(for: up, width: x.w, height: x.h)
        XCTAssertEqual(one.context.threads, 1)
        XCTAssertEqual(two.context.threads, 2)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let runner = i % 2 == 0 ? one : two
            do {
                let y = try runner.upscale(x)
                results.add(i % 2 == 0 ? "one" : "two", y.maxAbsDifference(reference))
            } catch {
                results.add("error \(error)", .infinity)
            }
        }
        let all = results.values
        XCTAssertEqual(all.count, 6)
        for (who, err) in all { XCTAssertLessThanOrEqual(err, 1e-5, who) }
        // Building runners changed nothing global: a fresh one still gets its own settings.
        XCTAssertEqual(try TileOptions(tile: 0, threads: 1).tiledRunner(for: up, width: x.w, height: x.h).context.threads, 1)
    }

    func testWinogradOffIsPerRunner() throws {
        let up = try ScaleStageResolver.resolve(model: nil, scale: 2)
        let x = try ImageFile.read(path: fixture).pixels
        let on = try TileOptions(tile: 0, threads: 2).tiledRunner(for: up, width: x.w, height: x.h)
        let off = try TileOptions(tile: 0, threads: 2, winograd: false).tiledRunner(for: up, width: x.w, height: x.h)
        XCTAssertTrue(on.context.winograd)
        XCTAssertFalse(off.context.winograd)
        XCTAssertTrue(up.parallelizesInside, "the built-in model is mostly Winograd")
        XCTAssertFalse(try up.prepared(winograd: false).parallelizesInside, "without Winograd it is not")
        XCTAssertEqual(off.blasThreads, 2, "im2col models split their GEMMs over the tile's threads")
        XCTAssertLessThanOrEqual(try on.upscale(x).maxAbsDifference(try off.upscale(x)), 1e-4)
        XCTAssertTrue(try up.prepared(winograd: true).name == up.name)
    }

    func testUnsupportedKernelsAreAnError() throws {
        XCTAssertThrowsError(try TileOptions.kernelVariant(named: "avx1024")) {
            XCTAssertTrue("\($0)".contains("--kernels must be auto or one of generic"), "\($0)")
        }
        XCTAssertEqual(try TileOptions.kernelVariant(named: "auto"), KernelISA.best)
        XCTAssertNoThrow(try TileOptions(kernels: .generic).validate())
    }
}

/// Results gathered from concurrent workers.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(String, Float)] = []
    func add(_ who: String, _ err: Float) { lock.lock(); list.append((who, err)); lock.unlock() }
    var values: [(String, Float)] { lock.lock(); defer { lock.unlock() }; return list }
}
