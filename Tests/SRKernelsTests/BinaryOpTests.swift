import SRKernels
import SRTensor
import XCTest

final class BinaryOpTests: XCTestCase {
    private let ops: [BinaryOpKind] = [.add, .sub, .mul, .div, .max, .min, .pow, .rsub, .rdiv]

    private func positive(_ t: Tensor) -> Tensor {
        Tensor(n: t.n, c: t.c, h: t.h, w: t.w, data: t.data.map { abs($0) + 0.5 })
    }

    func testBroadcastShapes() {
        var rng = SplitMix64(seed: 41)
        let full = [2, 5, 7, 3]
        let partners: [[Int]] = [
            [2, 5, 7, 3], [1, 5, 1, 1], [1, 1, 1, 1], [1, 1, 7, 3], [2, 5, 7, 1], [2, 5, 1, 3], [1, 5, 7, 3], [2, 1, 1, 1],
        ]
        for op in ops {
            for shape in partners {
                for swapped in [false, true] {
                    var a = positive(rng.tensor(n: full[0], c: full[1], h: full[2], w: full[3]))
                    var b = positive(rng.tensor(n: shape[0], c: shape[1], h: shape[2], w: shape[3]))
                    if swapped { swap(&a, &b) }
                    assertClose(Kernels.binaryOp(a, b, op), Reference.binaryOp(a, b, op), "\(op) \(a.shape) \(b.shape)")
                }
            }
        }
        // Both sides broadcast: c x 1 x 1 against 1 x h x w.
        let a = rng.tensor(c: 3, h: 1, w: 1), b = rng.tensor(c: 1, h: 4, w: 5)
        assertClose(Kernels.binaryOp(a, b, .add), Reference.binaryOp(a, b, .add))
        XCTAssertEqual(Reference.binaryOp(a, b, .add).shape, [1, 3, 4, 5])
    }

    func testScalar() {
        var rng = SplitMix64(seed: 42)
        let a = positive(rng.tensor(n: 2, c: 3, h: 5, w: 1))
        for op in ops {
            assertClose(Kernels.binaryOp(a, scalar: 1.5, op), Reference.binaryOp(a, scalar: 1.5, op), "\(op)")
        }
    }

    func testReferencePerChannel() {
        let a = Tensor(c: 2, h: 1, w: 2, data: [1, 2, 3, 4])
        let b = Tensor(c: 2, h: 1, w: 1, data: [10, 20])
        XCTAssertEqual(Reference.binaryOp(a, b, .sub).data, [-9, -8, -17, -16])
        XCTAssertEqual(Reference.binaryOp(b, a, .sub).data, [9, 8, 17, 16])
        XCTAssertEqual(Reference.binaryOp(a, b, .rdiv).data, [10, 5, 20.0 / 3, 5])
    }
}
