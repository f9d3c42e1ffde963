import Foundation
import SRKernels
@testable import SRModels
import SRTensor
import XCTest

/// `upscale models export`: every built-in model is written as a `.param`/`.bin` pair that loads
/// back into the same network (the peer benchmarks convert these files to ONNX).
final class NCNNExportTests: XCTestCase {
    func testBuiltinModelsExportAndReloadToTheSameOutput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let x = Tensor(c: 3, h: 20, w: 18, data: pseudoRandom(3 * 20 * 18, seed: 7).map { abs($0) })
        for v in BuiltinModels.variants {
            // The fusion and diffusion models run several networks: no single graph to write.
            if v.name == "upscale-fusion-x4" || v.name == "upscale-sr3-x4" {
                XCTAssertThrowsError(try NCNNExport.write(model: v.name, to: dir)) { XCTAssertTrue("\($0)".contains("no single graph"), "\($0)") }
                continue
            }
            let (param, bin) = try NCNNExport.write(model: v.name, to: dir)
            XCTAssertEqual((param as NSString).lastPathComponent, v.name + ".param")
            let text = try String(contentsOfFile: param, encoding: .utf8)
            // ncnn's Crop needs explicit "the rest" (-233) for width and height when it cuts channels.
            for line in text.split(separator: "\n") where line.hasPrefix("Crop") {
                XCTAssertTrue(line.contains("3=-233") && line.contains("4=-233"), "\(v.name): \(line)")
            }
            let reloaded = try NCNNNet(paramPath: param, binPath: bin)
            let direct = try BuiltinModels.network(v.name).inferenceNet()
            let a = try reloaded.forward(input: x), b = try direct.forward(input: x)
            XCTAssertEqual(a.shape, [1, 3, 20 * v.scale, 18 * v.scale], v.name)
            XCTAssertEqual(a.maxAbsDifference(b), 0, v.name)
        }
        XCTAssertThrowsError(try NCNNExport.write(model: "no-such-model", to: dir))
    }
}
