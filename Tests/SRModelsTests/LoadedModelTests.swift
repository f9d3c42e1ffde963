import Foundation
import SRTensor
import XCTest
import SRModels

final class LoadedModelTests: XCTestCase {
    /// A valid (unpadded) identity 3x3 convolution then nearest x2: with prepadding 1 and
    /// alignment 4, `upscale` must give exactly the nearest-neighbour enlargement.
    func testUpscaleAppliesPaddingAlignmentAndCrop() throws {
        let dir = NSTemporaryDirectory() + "srmodel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let param = "7767517\n3 3\nInput in 0 1 x\nConvolution c 1 1 x y 0=3 1=3 6=81\nInterp up 1 1 y z 0=1 1=2.0 2=2.0\n"
        var w = [Float](repeating: 0, count: 81)
        for c in 0..<3 { w[(c * 3 + c) * 9 + 4] = 1 }
        try param.write(toFile: dir + "/t.param", atomically: true, encoding: .utf8)
        try Data(BinBytes.tagged(w)).write(to: URL(fileURLWithPath: dir + "/t.bin"))
        let d = ModelDescriptor(name: "t", family: "t", architecture: "test", scale: 2, paramPath: dir + "/t.param",
                                binPath: dir + "/t.bin", prepadding: 1, alignment: 4)
        let m = try LoadedModel(descriptor: d)
        XCTAssertEqual(m.scale, 2)
        XCTAssertEqual(m.parameterCount, 81)
        XCTAssertEqual(m.flopsPerInputPixel(), 2 * 81 * Double(62 * 62) / Double(64 * 64), accuracy: 1e-6)
        XCTAssertEqual(m.receptiveRadius, 2)
        XCTAssertGreaterThan(m.workingBytesPerInputPixel, 0)
        let x = Tensor(c: 3, h: 5, w: 7, data: pseudoRandom(105, seed: 3))
        let y = try m.upscale(x)
        XCTAssertEqual(y.shape, [1, 3, 10, 14])
        XCTAssertEqual(y.maxAbsDifference(Reference.interp(x, mode: .nearest, outH: 10, outW: 14)), 0)
        XCTAssertThrowsError(try m.upscale(Tensor(c: 1, h: 4, w: 4)))
    }
}
