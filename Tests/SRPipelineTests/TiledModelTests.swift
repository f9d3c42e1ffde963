import Foundation
import SRMedia
import SRKernels
import SRModels
import SRPipeline
import SRTensor
import SRTiling
import XCTest

/// Tiled inference against whole-frame inference for every installed model.
final class TiledModelTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let fixture = TiledModelTests.root.appendingPathComponent("fixtures/photo-96x64.png").path

    func installedModels() throws -> [ModelDescriptor] {
        let models = ModelCatalog.installed()
        if models.isEmpty { throw XCTSkip("models not installed: run make models") }
        return models
    }

    /// Models whose squeeze-excitation blocks pool over the whole input: a tile cannot see that.
    func hasGlobalPooling(_ d: ModelDescriptor) -> Bool { d.name.hasPrefix("waifu2x-cunet") }

    /// Classification heads read by class value (seed 002): the choice is discontinuous.
    func readsClassValues(_ d: ModelDescriptor) -> Bool { d.name.hasPrefix("upscale-fcs") }

    /// The fixture, cropped smaller for the expensive RRDB models.
    func frame(for d: ModelDescriptor) throws -> Tensor {
        let full = try ImageFile.read(path: fixture).pixels
        guard d.name.hasPrefix("realesrgan-x4plus") else { return full }
        var crop = Tensor(c: 3, h: 32, w: 48)
        for c in 0..<3 { for y in 0..<32 { for x in 0..<48 { crop[c, y, x] = full[c, y + 16, x + 24] } } }
        return crop
    }

    func testTiledEqualsWholeFrameWhenPadCoversReceptiveField() throws {
        for d in try installedModels() {
            let up = try ScaleStageResolver.resolve(model: d.name, scale: nil)
            let x = try frame(for: d)
            let whole = try up.upscale(x)
            for tile in [20, 36] {
                let runner = TiledRunner(scale: up.scale, tile: tile, overlap: 6, pad: up.receptiveRadius,
                                           alignment: up.alignment, workers: 2) { try up.upscale($0, context: $1) }
                let tiled = try runner.upscale(x), err = whole.maxAbsDifference(tiled)
                print("tiled-vs-whole \(d.name) tile \(tile) pad \(up.receptiveRadius): max abs error \(err)")
                if readsClassValues(d) {
                    // Where two classes' logits tie within rounding, a tile may pick the other one.
                    let flipped = zip(whole.data, tiled.data).filter { abs($0 - $1) > 1e-4 }.count
                    XCTAssertLessThan(Double(flipped) / Double(whole.count), 0.002, "\(d.name) tile \(tile): \(flipped) values differ")
                } else if !hasGlobalPooling(d) {
                    XCTAssertLessThanOrEqual(err, 1e-4, "\(d.name) tile \(tile)")
                }
            }
        }
    }

    /// CUNet pools over the whole image: by default it runs whole-frame (exact) when it fits the
    /// memory budget, and an explicit tile size says that the result is approximate.
    func testGloballyPoolingModelsRunWholeUnlessTold() throws {
        guard let d = ModelCatalog.installed().first(where: hasGlobalPooling) else { throw XCTSkip("models not installed: run make models") }
        let up = try ScaleStageResolver.resolve(model: d.name, scale: nil)
        XCTAssertFalse(up.tilesExactly)
        let x = try frame(for: d)
        var said: [String] = []
        let auto = try TileOptions().tiledRunner(for: up, width: x.w, height: x.h) { said.append($0) }
        XCTAssertEqual(auto.tile, 0)
        XCTAssertTrue(said.isEmpty)
        XCTAssertLessThanOrEqual(try auto.upscale(x).maxAbsDifference(try up.upscale(x)), 1e-6)
        _ = try TileOptions(tile: 32).tiledRunner(for: up, width: x.w, height: x.h) { said.append($0) }
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said.first?.contains("--tile 0") == true, "\(said)")
        let small = try TileOptions(maxMemory: 64 << 20).tiledRunner(for: up, width: 4000, height: 3000) { said.append($0) }
        XCTAssertGreaterThan(small.tile, 0, "falls back to tiles when the whole frame does not fit")
    }

    func testSmallPadStillHidesSeams() throws {
        for d in try installedModels() {
            let up = try ScaleStageResolver.resolve(model: d.name, scale: nil)
            let x = try frame(for: d)
            let whole = try up.upscale(x)
            let runner = TiledRunner(scale: up.scale, tile: 24, overlap: 8, pad: 4, alignment: up.alignment, workers: 2) {
                try up.upscale($0, context: $1)
            }
            let tiled = try runner.upscale(x)
            let seams = SeamMeter(whole: whole, tiled: tiled, plan: runner.plan(width: x.w, height: x.h), scale: up.scale)
            print("seams \(d.name) pad 4: ratio \(seams.ratio) (step \(seams.seamStep) vs \(seams.bandStep))")
            XCTAssertLessThanOrEqual(seams.ratio, 1.5, d.name)
        }
    }

    func testTileCheckReportsExactnessForDefaultModel() throws {
        guard ModelCatalog.installed().contains(where: { $0.name == "realesr-animevideov3-x2" }) else {
            throw XCTSkip("models not installed: run make models")
        }
        let r = try TileCheck.run(TileCheckConfig(input: fixture, model: "realesr-animevideov3-x2",
                                                  tiling: TileOptions(tile: 32, overlap: 8)))
        XCTAssertEqual(r.pad, r.receptive_radius)
        XCTAssertLessThanOrEqual(r.max_error, 1e-4)
        XCTAssertGreaterThan(r.tiles, 1)
    }

    /// Per-worker scratch is reused: after warm-up frames, further frames of the same size take
    /// every activation, im2col buffer and tile buffer from the pool (no fresh allocation), and the
    /// reused memory, which still holds the previous frame's values, never leaks into a result.
    func testSteadyStateTilesAllocateNothing() throws {
        let names = ["realesr-animevideov3-x4", "waifu2x-upconv7-photo-x2", "waifu2x-cunet-x2"]
        let models = try installedModels().filter { names.contains($0.name) }
        XCTAssertEqual(models.count, names.count, "expected models \(names)")
        for d in models {
            let up = try ScaleStageResolver.resolve(model: d.name, scale: nil)
            let a = try frame(for: d)
            var b = a
            for i in 0..<b.count { b.data[i] = 1 - a.data[i] }
            for workers in [1, 2] {
                func runner() -> TiledRunner {
                    TiledRunner(scale: up.scale, tile: 24, overlap: 4, pad: up.receptiveRadius,
                                  alignment: up.alignment, workers: workers) { try up.upscale($0, context: $1) }
                }
                let reference = [try runner().upscale(a), try runner().upscale(b)]
                let warm = runner()
                for k in 0..<4 { _ = try warm.upscale(k % 2 == 0 ? a : b) }
                let before = warm.pools.misses
                XCTAssertGreaterThan(before, 0, d.name)
                for k in 0..<4 {
                    let err = try warm.upscale(k % 2 == 0 ? a : b).maxAbsDifference(reference[k % 2])
                    XCTAssertLessThanOrEqual(err, 1e-5, "\(d.name), \(workers) workers: reused memory changed the result")
                }
                XCTAssertLessThanOrEqual(warm.pools.created, workers)
                // One worker sees every tile shape in a fixed order: strictly no allocation. Two
                // workers meet the shapes in varying order, so a pool may still grow once.
                if workers == 1 {
                    XCTAssertEqual(warm.pools.misses, before, "\(d.name): allocations after warm-up")
                }
            }
        }
    }
}
