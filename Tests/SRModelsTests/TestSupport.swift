import Foundation
import SRTensor
import XCTest

/// Byte builders for synthetic `.bin` files.
enum BinBytes {
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
    /// Plain fp32 values (biases, slopes).
    static func raw(_ a: [Float]) -> [UInt8] { a.flatMap { le32($0.bitPattern) } }
    /// Tagged fp32 (flag 0).
    static func tagged(_ a: [Float]) -> [UInt8] { [0, 0, 0, 0] + raw(a) }
    /// Tagged fp16, padded to 4 bytes.
    static func fp16(_ a: [Float]) -> [UInt8] {
        var b = le32(0x0130_6B47)
        for v in a { let h = Float16(v).bitPattern; b += [UInt8(h & 0xff), UInt8(h >> 8)] }
        while b.count % 4 != 0 { b.append(0) }
        return b
    }
    /// Quantized: table of 256 floats then indices, padded to 4 bytes.
    static func quantized(table: [Float], indices: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [1, 2, 3, 4] + raw(table + [Float](repeating: 0, count: 256 - table.count)) + indices
        while b.count % 4 != 0 { b.append(0) }
        return b
    }
}

/// Deterministic pseudo-random values in -1...1.
func pseudoRandom(_ count: Int, seed: UInt64) -> [Float] {
    var s = seed &* 6364136223846793005 &+ 1442695040888963407
    return (0..<count).map { _ in
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: s >> 11) % 2_000_001 - 1_000_000) / 1_000_000
    }
}

/// The package root (three levels above this file).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Decodes an image with the ffmpeg command-line tool into a 1x3xHxW tensor in 0...1
/// (16-bit RGB, exact for 8- and 16-bit sources).
func decodeImage(_ path: String) throws -> Tensor {
    func run(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-v", "error", "-i", path] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("ffmpeg could not decode \(path)") }
        return data
    }
    let size = try imageSize(path)
    let data = try run(["-f", "rawvideo", "-pix_fmt", "rgb48le", "-"])
    let n = size.w * size.h
    guard data.count == n * 6 else { throw XCTSkip("unexpected decoded size for \(path)") }
    var t = Tensor(c: 3, h: size.h, w: size.w)
    data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
        for i in 0..<n {
            for ch in 0..<3 {
                let o = (i * 3 + ch) * 2
                t.data[ch * n + i] = Float(UInt16(b[o]) | UInt16(b[o + 1]) << 8) / 65535
            }
        }
    }
    return t
}

/// Width and height of a PNG from its IHDR chunk.
func imageSize(_ path: String) throws -> (w: Int, h: Int) {
    guard let d = FileManager.default.contents(atPath: path), d.count > 24 else { throw XCTSkip("cannot read \(path)") }
    let b = [UInt8](d.prefix(24))
    func be(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
    return (be(16), be(20))
}
