import Foundation
import SRMedia
import SRPipeline
import XCTest

/// Queues, progress lines and plans: the scheduler's parts.
final class PipelinePartsTests: XCTestCase {
    func testBoundedQueueBlocksAtCapacityAndDrainsAfterFinish() {
        let q = BoundedQueue<Int>(capacity: 2)
        XCTAssertTrue(q.push(1))
        XCTAssertTrue(q.push(2))
        let pushed = expectation(description: "third push waits for a pop")
        DispatchQueue.global().async { XCTAssertTrue(q.push(3)); pushed.fulfill() }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(q.count, 2)
        XCTAssertEqual(q.pop(), 1)
        wait(for: [pushed], timeout: 2)
        q.finish()
        XCTAssertFalse(q.push(4), "no pushes after finish")
        XCTAssertEqual(q.pop(), 2)
        XCTAssertEqual(q.pop(), 3)
        XCTAssertNil(q.pop())
    }

    func testCancelReleasesBothEnds() {
        let full = BoundedQueue<Int>(capacity: 1), empty = BoundedQueue<Int>(capacity: 1)
        full.push(0)
        let done = expectation(description: "released")
        done.expectedFulfillmentCount = 2
        DispatchQueue.global().async { XCTAssertFalse(full.push(1)); done.fulfill() }
        DispatchQueue.global().async { XCTAssertNil(empty.pop()); done.fulfill() }
        Thread.sleep(forTimeInterval: 0.05)
        full.cancel(); empty.cancel()
        wait(for: [done], timeout: 2)
    }

    func testReorderBufferWaitsForItsTurn() {
        let r = ReorderBuffer<String>()
        DispatchQueue.global().async { r.put(1, "b"); Thread.sleep(forTimeInterval: 0.02); r.put(0, "a") }
        XCTAssertEqual(r.take(0), "a")
        XCTAssertEqual(r.take(1), "b")
        r.cancel()
        XCTAssertNil(r.take(2))
    }

    func testReorderBufferIsBoundedButNeverBlocksTheNextItem() {
        let r = ReorderBuffer<Int>(capacity: 2)
        r.put(1, 1); r.put(2, 2)
        let third = expectation(description: "a third later item waits for room")
        DispatchQueue.global().async { r.put(3, 3); third.fulfill() }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(r.count, 2, "full: item 3 waits")
        r.put(0, 0)  // the item take() needs next goes in even when full
        XCTAssertEqual(r.take(0), 0)
        XCTAssertEqual(r.take(1), 1)
        wait(for: [third], timeout: 2)
        XCTAssertEqual(r.take(2), 2)
        XCTAssertEqual(r.take(3), 3)
    }

    func testProgressLines() {
        var text = ""
        let json = ProgressReporter(mode: .json, total: 50, terminal: false) { text += $0 }
        json.update(done: 10, force: true)
        let obj = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["frame"] as? Int, 10)
        XCTAssertEqual(obj?["total"] as? Int, 50)
        XCTAssertEqual(obj?["percent"] as? Double, 20)
        XCTAssertNotNil(obj?["eta_s"])
        text = ""
        let plain = ProgressReporter(mode: .plain, total: nil, terminal: false) { text += $0 }
        plain.update(done: 3, force: true)
        XCTAssertTrue(text.hasPrefix("frame 3/?"), text)
        XCTAssertTrue(text.contains("ETA"), text)
        text = ""
        let tty = ProgressReporter(mode: .auto, total: 4, terminal: true) { text += $0 }
        tty.update(done: 1, force: true)
        tty.finish(done: 4)
        XCTAssertTrue(text.hasPrefix("\r"), "one updating line on a terminal")
        XCTAssertTrue(text.hasSuffix("\n"))
        text = ""
        ProgressReporter(mode: .none, total: 4, terminal: true) { text += $0 }.finish(done: 4)
        XCTAssertEqual(text, "")
    }

    func testScalePlansForSizes() throws {
        let p = try ScalePlan.make(model: "lanczos", scale: nil, width: 1920, height: nil, inputWidth: 640, inputHeight: 360)
        XCTAssertEqual([p.outputWidth, p.outputHeight], [1920, 1080])
        XCTAssertTrue(p.stages.isEmpty, "classical filters resize straight to the target")
        let q = try ScalePlan.make(model: "lanczos", scale: 3, width: nil, height: nil, inputWidth: 10, inputHeight: 7)
        XCTAssertEqual([q.outputWidth, q.outputHeight], [30, 21])
        XCTAssertThrowsError(try ScalePlan.make(model: nil, scale: 2, width: 100, height: nil, inputWidth: 10, inputHeight: 10))
        XCTAssertThrowsError(try ScalePlan.make(model: "lanczos", scale: nil, width: 0, height: nil, inputWidth: 10, inputHeight: 10))
    }

    func testModelChainsForLargeFactors() throws {
        let models = ProcessInfo.processInfo.environment["UPSCALE_MODELS"] ?? NSHomeDirectory() + "/.cache/upscale/models"
        guard FileManager.default.fileExists(atPath: models + "/realesr-animevideov3-x4.param") else {
            throw XCTSkip("models not installed: run make models")
        }
        let x8 = try ScalePlan.make(model: "realesr-animevideov3", scale: 8, width: nil, height: nil, inputWidth: 64, inputHeight: 36)
        XCTAssertEqual(x8.stages.map(\.name), ["realesr-animevideov3-x2", "realesr-animevideov3-x4"], "x8 = x2 then x4")
        XCTAssertFalse(x8.resizes)
        // The default (built-in x2 and x4): x6 = x2 then x4, then a lanczos reduction to the exact size.
        let h = try ScalePlan.make(model: nil, scale: nil, width: nil, height: 2160, inputWidth: 640, inputHeight: 360)
        XCTAssertEqual(h.stages.map(\.name), ["upscale-real-x2", "upscale-real-x4"])
        XCTAssertEqual([h.outputWidth, h.outputHeight], [3840, 2160])
        XCTAssertTrue(h.resizes)
        let five = try ScalePlan.make(model: "realesr-animevideov3", scale: nil, width: 500, height: nil, inputWidth: 100, inputHeight: 50)
        XCTAssertEqual(five.stages.map(\.scale), [2, 3], "x5 = x2 x3 then a small lanczos reduction")
        XCTAssertTrue(five.resizes)
        let four = try ScalePlan.make(model: nil, scale: 4, width: nil, height: nil, inputWidth: 100, inputHeight: 50)
        XCTAssertEqual(four.stages.map(\.name), ["upscale-real-x4"])
    }

    func testAuditFindsDifferences() throws {
        let clips = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/clips")
        let a = try MediaSummary.read(clips.appendingPathComponent("h264-aac.mp4").path)
        XCTAssertTrue(MediaAudit.compare(input: a, output: a).isEmpty)
        var b = a
        b.streams[0].packets -= 1
        b.streams[1].packets += 2
        let findings = MediaAudit.compare(input: a, output: b)
        XCTAssertTrue(findings.contains { $0.fatal && $0.message.hasPrefix("video frames") }, "\(findings)")
        XCTAssertTrue(findings.contains { $0.message.contains("audio packets") }, "\(findings)")
        XCTAssertTrue(MediaAudit.compare(input: a, output: b, damaged: true).allSatisfy { !$0.fatal })
        var late = a
        late.streams[1].times = late.streams[1].times.map { $0 + 0.1 }
        XCTAssertTrue(MediaAudit.compare(input: a, output: late).contains { $0.message.contains("starts at") })
    }
}
