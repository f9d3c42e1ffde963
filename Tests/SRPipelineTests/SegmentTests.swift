import Foundation
import SRMedia
@testable import SRPipeline
import XCTest

/// The parts of resumable video (issue 17): where segments are cut, the packet file format and
/// its damage checks, the manifest's refusal of changed inputs and settings, progress wording.
final class SegmentTests: XCTestCase {
    typealias T = SegmentPlan.PacketTiming
    let tb = Rational(1, 25)

    /// Packets in decoding order of IBBP-style GOPs of `gop` frames (pts in frames), each GOP closed.
    func closedGOPs(count: Int, gop: Int) -> [T] {
        var out: [T] = []
        for g in 0..<count {
            let base = Int64(g * gop)
            out.append(T(pts: base, dts: base - 1, key: true))
            var i = 1
            while i < gop {
                let p = min(i + 2, gop - 1)
                out.append(T(pts: base + Int64(p), dts: base + Int64(i), key: false))
                for b in i..<p { out.append(T(pts: base + Int64(b), dts: base + Int64(b) + 1, key: false)) }
                i = p + 1
            }
        }
        return out
    }

    func testCutsAtClosedGOPsNoShorterThanTheMinimum() {
        let packets = closedGOPs(count: 5, gop: 10)
        XCTAssertEqual(Set(packets.compactMap(\.pts)), Set((0..<50).map(Int64.init)))
        let s = SegmentPlan.cut(packets, timeBase: tb, minimumSeconds: 0.4)
        XCTAssertEqual(s.map(\.startPTS), [0, 10, 20, 30, 40])
        XCTAssertEqual(s.map(\.frames), [10, 10, 10, 10, 10])
        XCTAssertEqual(s.last?.endPTS, nil)
        XCTAssertEqual(s[1].seekDTS, 9)
        // 0.8 s minimum: every other keyframe.
        XCTAssertEqual(SegmentPlan.cut(packets, timeBase: tb, minimumSeconds: 0.8).map(\.startPTS), [0, 20, 40])
        // Longer than the clip: one segment.
        XCTAssertEqual(SegmentPlan.cut(packets, timeBase: tb, minimumSeconds: 10).map(\.frames), [50])
    }

    func testOpenGOPKeyframeIsNoCutPoint() {
        var packets = closedGOPs(count: 3, gop: 10)
        // The picture shown at 9 is decoded after the keyframe at 10 (a leading picture: open GOP).
        let leading = packets.remove(at: packets.firstIndex { $0.pts == 9 } ?? 0)
        packets.insert(leading, at: (packets.firstIndex { $0.pts == 10 } ?? 0) + 1)
        let s = SegmentPlan.cut(packets, timeBase: tb, minimumSeconds: 0.1)
        XCTAssertFalse(s.map(\.startPTS).contains(10), "\(s.map(\.startPTS))")
        XCTAssertTrue(s.map(\.startPTS).contains(20))
    }

    func testMissingTimestampsGiveOneSegment() {
        var packets = closedGOPs(count: 3, gop: 10)
        packets[5].pts = nil
        XCTAssertEqual(SegmentPlan.cut(packets, timeBase: tb, minimumSeconds: 0.1).count, 1)
    }

    func testPacketFileRoundTripAndDamage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("0.upseg").path
        let w = try PacketFile.Writer(path: path)
        let payloads: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 7, count: 3000)]
        for (i, p) in payloads.enumerated() {
            try w.append(try XCTUnwrap(MediaPacket(bytes: p, pts: Int64(i * 2), dts: i == 1 ? nil : Int64(i), duration: 1, key: i == 0)))
        }
        let summary = try w.finish()
        XCTAssertEqual(summary.packets, 3)
        XCTAssertEqual(PacketFile.summary(of: path), summary)
        var back: [(bytes: [UInt8], pts: Int64?, dts: Int64?, key: Bool)] = []
        try PacketFile.read(path) { back.append(($0.bytes, $0.pts, $0.dts, $0.isKey)) }
        XCTAssertEqual(back.map(\.bytes), payloads)
        XCTAssertEqual(back.map(\.pts), [0, 2, 4])
        XCTAssertEqual(back.map(\.dts), [0, nil, 2])
        XCTAssertEqual(back.map(\.key), [true, false, false])
        // Cut short: no summary (the segment is redone).
        var data = try XCTUnwrap(FileManager.default.contents(atPath: path))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(PacketFile.summary(of: path))
        // One flipped byte: a different checksum.
        data[40] ^= 1
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertNotEqual(PacketFile.summary(of: path)?.checksum, summary.checksum)
    }

    func testManifestNamesWhatChanged() {
        let input = InputIdentity(size: 100, modified: 1, head: "a", tail: "b", streams: "0:video:h264")
        let base = SegmentManifest(input: input, settings: ["crf": "30", "plan": "x2"], segments: [])
        XCTAssertNil(base.mismatch(with: base))
        var other = base
        other.settings["crf"] = "35"
        XCTAssertEqual(base.mismatch(with: other), "the setting 'crf' changed (30 -> 35)")
        other = base
        other.input.size = 101
        XCTAssertEqual(base.mismatch(with: other), "the input changed (size 100 -> 101 bytes)")
        other = base
        other.input.tail = "c"
        XCTAssertEqual(base.mismatch(with: other), "the input changed (its content differs)")
    }

    func testProgressCountsResumedFramesApart() {
        var lines: [String] = []
        let p = ProgressReporter(mode: .json, total: 50, resumed: 20, terminal: false) { lines.append($0) }
        p.finish(done: 50)
        XCTAssertTrue(lines.last?.contains("\"resumed_frames\":20") ?? false, "\(lines)")
        let plain = ProgressReporter(mode: .plain, total: 50, resumed: 20, terminal: false) { _ in }
        XCTAssertTrue(plain.line(done: 30, percent: 60, fps: 1, elapsed: 1, eta: 1).hasPrefix("resumed 20/50  frame 30/50"))
    }
}
