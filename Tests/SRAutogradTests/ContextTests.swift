import SRAutograd
import SRKernels
import SRTensor
import TestSupport
import XCTest

/// Variables carry their execution context: results inherit the widest parent's, and a batch run
/// on several workers gives the serial values and gradients bit for bit.
final class ContextTests: XCTestCase {
    var gc = GradCheck()

    func testResultsInheritTheWidestContext() {
        let wide = ExecutionContext(threads: 3)
        let x = Variable(gc.tensor(n: 3, c: 2, h: 6, w: 6), context: wide)
        let w = Variable(gc.tensor(n: 4, c: 2, h: 3, w: 3), requiresGrad: true)
        let y = x.conv2d(w, window: Window(kernel: 3, pad: 1)).relu()
        XCTAssertEqual(y.context, wide)
        XCTAssertEqual((w * w).context, .serial)
        XCTAssertEqual(y.detached().context, wide)
    }

    func testBatchOnWorkersEqualsSerial() {
        let xs = gc.tensor(n: 4, c: 3, h: 9, w: 8), ws = gc.tensor(n: 5, c: 3, h: 3, w: 3), bs = gc.tensor(c: 5, h: 1, w: 1)
        func run(_ context: ExecutionContext) -> (Tensor, Tensor, Tensor) {
            let w = Variable(ws, requiresGrad: true), b = Variable(bs, requiresGrad: true)
            let x = Variable(xs, requiresGrad: true, context: context)
            let loss = x.conv2d(w, bias: b, window: Window(kernel: 3, pad: 1)).square().mean()
            loss.backward()
            return (loss.value, w.grad ?? Tensor(c: 0, h: 0, w: 0), x.grad ?? Tensor(c: 0, h: 0, w: 0))
        }
        let serial = run(.serial), wide = run(ExecutionContext(threads: 4))
        XCTAssertEqual(serial.0, wide.0)
        XCTAssertEqual(serial.1, wide.1, "weight gradients are summed in image order whatever the workers")
        XCTAssertEqual(serial.2, wide.2)
        XCTAssertGreaterThan(serial.1.data.map(abs).max() ?? 0, 0)
    }
}
