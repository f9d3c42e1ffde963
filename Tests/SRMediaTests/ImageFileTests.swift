import Foundation
import SRMedia
import SRTensor
import XCTest

final class ImageFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A deterministic image whose values are exact multiples of 1/levels.
    func pattern(w: Int, h: Int, levels: Float, alpha: Bool = false, gray: Bool = false) -> RGBImage {
        var t = Tensor(c: 3, h: h, w: w)
        for c in 0..<3 {
            for y in 0..<h {
                for x in 0..<w {
                    let v = Float((x * 37 + y * 101 + (gray ? 0 : c * 53)) % (Int(levels) + 1))
                    t[c, y, x] = v / levels
                }
            }
        }
        var a: Tensor?
        if alpha {
            var p = Tensor(c: 1, h: h, w: w)
            for i in 0..<(w * h) { p.data[i] = Float((i * 7) % (Int(levels) + 1)) / levels }
            a = p
        }
        return RGBImage(pixels: t, alpha: a, bitDepth: levels > 255 ? 16 : 8, isGray: gray)
    }

    func maxDiff(_ a: Tensor, _ b: Tensor) -> Float { a.maxAbsDifference(b) }

    func testPNGRoundTripsExactly8And16Bit() throws {
        for (levels, name) in [(Float(255), "a8.png"), (Float(65535), "a16.png")] {
            let img = pattern(w: 33, h: 17, levels: levels, alpha: true)
            try ImageFile.write(img, to: path(name))
            let back = try ImageFile.read(path: path(name))
            XCTAssertEqual(back.bitDepth, levels > 255 ? 16 : 8)
            XCTAssertLessThanOrEqual(maxDiff(back.pixels, img.pixels), 1e-6, name)
            XCTAssertLessThanOrEqual(maxDiff(try XCTUnwrap(back.alpha), try XCTUnwrap(img.alpha)), 1e-6, name)
        }
    }

    func testTIFFAndBMPRoundTrip() throws {
        let img16 = pattern(w: 9, h: 7, levels: 65535)
        try ImageFile.write(img16, to: path("x.tiff"))
        let t = try ImageFile.read(path: path("x.tiff"))
        XCTAssertEqual(t.bitDepth, 16)
        XCTAssertLessThanOrEqual(maxDiff(t.pixels, img16.pixels), 1e-6)
        let img8 = pattern(w: 1, h: 1, levels: 255)
        try ImageFile.write(img8, to: path("x.BMP"))
        XCTAssertLessThanOrEqual(maxDiff(try ImageFile.read(path: path("x.BMP")).pixels, img8.pixels), 1e-6)
    }

    func testGrayStaysGray() throws {
        let img = pattern(w: 12, h: 5, levels: 255, gray: true)
        try ImageFile.write(img, to: path("g.png"))
        let back = try ImageFile.read(path: path("g.png"))
        XCTAssertTrue(back.isGray)
        XCTAssertLessThanOrEqual(maxDiff(back.pixels, img.pixels), 1e-6)
    }

    /// Gray + alpha and 16-bit little-endian layouts (PNG is big endian, TIFF little) round-trip exactly.
    func testGrayAlphaAndLittleEndianLayoutsRoundTrip() throws {
        for (name, levels, gray) in [("ga8.png", Float(255), true), ("ga16.png", 65535, true), ("ga16.tiff", 65535, true),
                                     ("a8.tiff", 255, false), ("a16.tiff", 65535, false)] {
            let img = pattern(w: 11, h: 6, levels: levels, alpha: true, gray: gray)
            try ImageFile.write(img, to: path(name))
            let back = try ImageFile.read(path: path(name))
            XCTAssertEqual(back.isGray, gray, name)
            XCTAssertLessThanOrEqual(maxDiff(back.pixels, img.pixels), 1e-6, name)
            XCTAssertLessThanOrEqual(maxDiff(try XCTUnwrap(back.alpha, name), try XCTUnwrap(img.alpha)), 1e-6, name)
        }
    }

    func testJPEGAndWebPAreClose() throws {
        var smooth = Tensor(c: 3, h: 32, w: 48)
        for c in 0..<3 { for y in 0..<32 { for x in 0..<48 { smooth[c, y, x] = Float(x + y + c * 10) / 100 } } }
        let img = RGBImage(pixels: smooth, alpha: Tensor(c: 1, h: 32, w: 48, repeating: 0.5))
        try ImageFile.write(img, to: path("s.jpg"))
        let j = try ImageFile.read(path: path("s.jpg"))
        XCTAssertNil(j.alpha)
        XCTAssertLessThanOrEqual(maxDiff(j.pixels, smooth), 0.05)
        try ImageFile.write(img, to: path("s.webp"))
        let w = try ImageFile.read(path: path("s.webp"))
        XCTAssertLessThanOrEqual(maxDiff(w.pixels, smooth), 0.08)
        XCTAssertEqual(try XCTUnwrap(w.alpha).data[0], 0.5, accuracy: 0.01)
    }

    func testReadsWhatTheFFmpegCLIWrites() throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/ffmpeg") else { throw XCTSkip("ffmpeg CLI not installed") }
        for (fmt, name) in [("rgba64be", "c16.png"), ("pal8", "p.png"), ("gray16be", "g16.png"), ("yuvj420p", "c.jpg"),
                            ("rgb48le", "c16.tiff"), ("bgr24", "c.bmp")] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            p.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=64x32", "-vf", "scale=33:17", "-frames:v", "1", "-pix_fmt", fmt, path(name)]
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, fmt)
            let img = try ImageFile.read(path: path(name))
            XCTAssertEqual(img.width, 33, name)
            XCTAssertEqual(img.height, 17, name)
            XCTAssertEqual(img.bitDepth, fmt.contains("16") || fmt.contains("48") || fmt.contains("64") ? 16 : 8, name)
            XCTAssertEqual(img.isGray, fmt.hasPrefix("gray"), name)
            XCTAssertGreaterThan(img.pixels.data.max() ?? 0, 0.5, name)
        }
    }

    func testErrorsAreOneLineAndLeaveNothing() throws {
        XCTAssertThrowsError(try ImageFile.read(path: path("missing.png"))) {
            XCTAssertEqual("\($0)", "cannot open '\(path("missing.png"))': No such file or directory")
        }
        try Data("just text\n".utf8).write(to: URL(fileURLWithPath: path("t.png")))
        XCTAssertThrowsError(try ImageFile.read(path: path("t.png"))) { XCTAssertTrue("\($0)".contains("is not an image")) }
        try ImageFile.write(pattern(w: 40, h: 40, levels: 255), to: path("ok.png"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("ok.png")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("cut.png")))
        XCTAssertThrowsError(try ImageFile.read(path: path("cut.png"))) { XCTAssertTrue("\($0)".contains("cut.png"), "\($0)") }
        XCTAssertThrowsError(try ImageFile.write(pattern(w: 2, h: 2, levels: 255), to: path("x.xyz"))) {
            XCTAssertTrue("\($0)".contains("unknown image format '.xyz'"))
        }
        XCTAssertThrowsError(try ImageFile.write(pattern(w: 2, h: 2, levels: 255), to: path("nodir/x.png"))) {
            XCTAssertTrue("\($0)".contains("cannot write"))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names, ["cut.png", "ok.png", "t.png"], "no temporary files left")
    }

    /// Issue 22, case 8: one rule for truncated PNGs, wherever the cut falls.
    func testTruncatedPNGIsRefusedWhereverItIsCut() throws {
        try ImageFile.write(pattern(w: 16, h: 12, levels: 255), to: path("whole.png"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("whole.png")))
        XCTAssertNoThrow(try ImageFile.read(path: path("whole.png")))
        for (name, cut) in [("no-iend.png", 12), ("one-byte.png", 1), ("half.png", bytes.count / 2)] {
            try bytes.prefix(bytes.count - cut).write(to: URL(fileURLWithPath: path(name)))
            XCTAssertThrowsError(try ImageFile.read(path: path(name))) { e in
                XCTAssertTrue("\(e)".contains(name) && "\(e)".contains("IEND"), "\(e)")
            }
        }
    }

    func testLanczosResize() throws {
        let flat = Tensor(c: 2, h: 5, w: 7, repeating: 0.25)
        let up = try Resampler.lanczos(flat, width: 21, height: 10)
        XCTAssertEqual(up.w, 21)
        XCTAssertEqual(up.h, 10)
        XCTAssertEqual(up.c, 2)
        for v in up.data { XCTAssertEqual(v, 0.25, accuracy: 1e-3) }
        XCTAssertThrowsError(try Resampler.lanczos(flat, width: 0, height: 3))
    }

    /// Without replace, a file that appeared meanwhile is kept and the result goes beside it.
    func testAtomicWriteWithoutReplaceKeepsAnExistingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/a.png"
        try AtomicFile.write(Data("first".utf8), to: path, replace: false)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "first")
        XCTAssertThrowsError(try AtomicFile.write(Data("second".utf8), to: path, replace: false)) {
            XCTAssertTrue("\($0)".contains("appeared while upscaling"), "\($0)")
            XCTAssertEqual(($0 as? MediaError)?.exitCode, 1)
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "first")
        XCTAssertEqual(try String(contentsOfFile: AtomicFile.keptPath(for: path), encoding: .utf8), "second")
        try AtomicFile.write(Data("third".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "third", "replace (-y) replaces")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("partial") }, [])
    }

    /// Temporary files of dead runs go; those of live runs (and other outputs' when asked for one) stay.
    func testStaleTemporaryFilesOfDeadRunsAreRemoved() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let dead = done.processIdentifier, live = ProcessInfo.processInfo.processIdentifier == 1 ? 2 : 1
        let names = [".v.mp4.partial-\(dead)-7", ".v.mp4.partial-\(live)-8", ".w.mp4.partial-\(dead)-9", "v.mp4"]
        for n in names { try Data().write(to: URL(fileURLWithPath: dir + "/" + n)) }
        XCTAssertEqual(AtomicFile.removeStale(for: dir + "/v.mp4"), [".v.mp4.partial-\(dead)-7"])
        XCTAssertEqual(AtomicFile.removeStale(in: dir), [".w.mp4.partial-\(dead)-9"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), [".v.mp4.partial-\(live)-8", "v.mp4"])
    }
}
