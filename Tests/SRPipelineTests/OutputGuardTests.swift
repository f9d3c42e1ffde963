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
        let up = try UpscalerResolver.resolve(model: "bicubic", scale: 3)
        XCTAssertEqual(up.scale, 3)
        XCTAssertEqual(up.name, "bicubic")
        XCTAssertThrowsError(try UpscalerResolver.resolve(model: "lanczos", scale: 0))
    }
}
