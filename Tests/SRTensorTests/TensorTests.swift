import Dispatch
import SRTensor
import XCTest

/// The tensor type, its pool, the lock primitive and the error protocol's default.
final class TensorTests: XCTestCase {
    func testShapeIndexingAndDifference() {
        var t = Tensor(n: 2, c: 3, h: 4, w: 5)
        XCTAssertEqual(t.shape, [2, 3, 4, 5])
        XCTAssertEqual(t.count, 120)
        t[1, 2, 3] = 7
        XCTAssertEqual(t[1, 2, 3], 7)
        var u = t
        for i in 0..<u.count { u.data[i] *= 2 }
        XCTAssertEqual(u.maxAbsDifference(t), 7)
        XCTAssertTrue(u.sameShape(as: t))
        XCTAssertFalse(u.sameShape(as: Tensor(c: 3, h: 4, w: 5)))
    }

    func testPoolReusesStorageOfOneShape() {
        let pool = TensorPool()
        pool.bind {
            var a = Tensor.pooled(n: 1, c: 2, h: 8, w: 8)
            a.data[0] = 3
            a.recycle()
            let b = Tensor.pooled(n: 1, c: 2, h: 8, w: 8)
            XCTAssertEqual(b.count, 128)
            XCTAssertTrue(TensorPool.current === pool)
            XCTAssertEqual(pool.misses, 1, "the first tensor was allocated")
            XCTAssertEqual(pool.hits, 1, "the second reused the first one's storage")
        }
        XCTAssertNil(TensorPool.current, "the binding ends with the block")
    }

    func testLockedCountsFromManyThreads() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in for _ in 0..<1000 { counter.withLock { $0 += 1 } } }
        XCTAssertEqual(counter.current, 8000)
        let claims = Locked(0), seen = Locked([Int]())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            while let k = claims.claim(below: 100) { seen.withLock { $0.append(k) } }
        }
        XCTAssertEqual(seen.current.sorted(), Array(0..<100), "every index claimed exactly once")
    }

    func testUserFacingErrorDefaultsToExitCodeOne() {
        struct Bad: UserFacingError { var description: String { "bad input" } }
        XCTAssertEqual(Bad().exitCode, 1)
        XCTAssertEqual("\(Bad())", "bad input")
    }
}
