import Foundation
import SRPipeline
import XCTest

final class OutputGuardTests: XCTestCase {
    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testRules() throws {
        let dir = try tempDir()
        let input = dir.appendingPathComponent("in.png").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: input))
        XCTAssertNoThrow(try OutputGuard.check(input: input, output: dir.path + "/out.png", overwrite: false))
        XCTAssertThrowsError(try OutputGuard.check(input: dir.path + "/missing.png", output: dir.path + "/o.png", overwrite: false)) {
            XCTAssertEqual("\($0)", "cannot open '\(dir.path)/missing.png': No such file or directory")
        }
        XCTAssertThrowsError(try OutputGuard.check(input: input, output: dir.path + "/./in.png", overwrite: true)) {
            XCTAssertTrue("\($0)".contains("is the input file"))
        }
        XCTAssertThrowsError(try OutputGuard.check(input: input, output: dir.path + "/no/such/dir/o.png", overwrite: false)) {
            XCTAssertTrue("\($0)".contains("does not exist"))
        }
        try Data([0]).write(to: URL(fileURLWithPath: dir.path + "/exists.png"))
        XCTAssertThrowsError(try OutputGuard.check(input: input, output: dir.path + "/exists.png", overwrite: false)) {
            XCTAssertTrue("\($0)".contains("-y"))
        }
        XCTAssertNoThrow(try OutputGuard.check(input: input, output: dir.path + "/exists.png", overwrite: true))
    }

    func testClassicalResolutionNeedsNoModels() throws {
        let up = try ScaleStageResolver.resolve(model: "bicubic", scale: 3)
        XCTAssertEqual(up.scale, 3)
        XCTAssertEqual(up.name, "bicubic")
        XCTAssertThrowsError(try ScaleStageResolver.resolve(model: "lanczos", scale: 0))
    }
}

final class AutoTileTests: XCTestCase {
    func testAutoTileSplitsLongSideForWorkersAndFitsBudget() throws {
        let up = try ScaleStageResolver.resolve(model: "bicubic", scale: 2)
        // Fits the budget: one strip per worker along the long side.
        let small = try TileOptions(threads: 2).tiledRunner(for: up, width: 640, height: 360)
        XCTAssertEqual(small.plan(width: 640, height: 360).tiles.count, 2)
        XCTAssertEqual(small.workers, 2)
        // One thread: the whole frame.
        XCTAssertEqual(try TileOptions(threads: 1).tiledRunner(for: up, width: 640, height: 360).tile, 0)
        // A frame over the budget: tiles whose working memory fits the budget per worker.
        let big = try TileOptions(maxMemory: 64 << 20, threads: 2).tiledRunner(for: up, width: 8000, height: 6000)
        XCTAssertGreaterThan(big.tile, 0)
        let side = big.tile + 2 * big.pad
        XCTAssertLessThanOrEqual(up.workingBytes(width: side, height: side) * Double(big.workers), Double(64 << 20))
    }
}
