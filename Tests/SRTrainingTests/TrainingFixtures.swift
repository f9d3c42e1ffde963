import Foundation
import SRAutograd
import SRMedia
import SRTensor
import XCTest

/// Training data for the tests of this target: temporary folders of synthetic pictures.
extension XCTestCase {
    func tempDir() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Hard-edged shapes (rectangles and discs in random colours, 4x supersampled) on a gradient:
    /// detail bicubic blurs and a small net learns to restore quickly. Each seed draws a new picture.
    func shapes(_ w: Int, _ h: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        var rects: [(Float, Float, Float, Float, [Float])] = [], discs: [(Float, Float, Float, [Float])] = []
        for _ in 0..<40 {
            let x = rng.unit() * Float(w), y = rng.unit() * Float(h)
            rects.append((x, y, x + 4 + rng.unit() * Float(w) / 4, y + 4 + rng.unit() * Float(h) / 4, [rng.unit(), rng.unit(), rng.unit()]))
        }
        for _ in 0..<25 { discs.append((rng.unit() * Float(w), rng.unit() * Float(h), 2 + rng.unit() * 12, [rng.unit(), rng.unit(), rng.unit()])) }
        var t = Tensor(c: 3, h: h, w: w)
        for y in 0..<h { for x in 0..<w {
            var acc: [Float] = [0, 0, 0]
            for sy in 0..<4 { for sx in 0..<4 {
                let px = Float(x) + (Float(sx) + 0.5) / 4, py = Float(y) + (Float(sy) + 0.5) / 4
                var col: [Float] = [px / Float(w), py / Float(h), 0.5]
                for r in rects where px >= r.0 && px < r.2 && py >= r.1 && py < r.3 { col = r.4 }
                for d in discs where (px - d.0) * (px - d.0) + (py - d.1) * (py - d.1) < d.2 * d.2 { col = d.3 }
                for c in 0..<3 { acc[c] += col[c] / 16 }
            } }
            for c in 0..<3 { t[c, y, x] = acc[c] }
        } }
        return t
    }

    /// Training folder: two shape pictures; validation folder: a third one (not trained on).
    func dataDirs() throws -> (train: String, val: String) {
        let root = try tempDir(), train = root + "/train", val = root + "/val"
        try FileManager.default.createDirectory(atPath: train, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: val, withIntermediateDirectories: true)
        try ImageFile.write(RGBImage(pixels: shapes(192, 160, seed: 1)), to: train + "/a.png")
        try ImageFile.write(RGBImage(pixels: shapes(160, 192, seed: 2)), to: train + "/b.png")
        try ImageFile.write(RGBImage(pixels: shapes(128, 128, seed: 3)), to: val + "/c.png")
        return (train, val)
    }
}
