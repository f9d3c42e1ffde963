import SRAutograd
import SRTensor
import XCTest

/// Shared test helpers (target TestSupport).
///
/// Finite-difference gradient checks: the analytic gradient of `sum(f(inputs) * r)` for a fixed
/// random `r` must match central differences, coordinate by coordinate and along a random direction.
public struct GradCheck {
    /// The generator of test values and probe directions.
    public var rng = SeededRandom(seed: 7)

    /// A checker seeded with 7.
    public init() {}

    /// A tensor of uniform values in `range`.
    public mutating func tensor(n: Int = 1, c: Int, h: Int, w: Int, _ range: ClosedRange<Float> = -1...1) -> Tensor {
        Tensor(n: n, c: c, h: h, w: w, data: (0..<(n * c * h * w)).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.unit() })
    }

    /// Checks every input's gradient; relative error limit `tol`.
    public mutating func check(_ inputs: [Tensor], eps: Float = 1e-2, tol: Float = 1e-3, samples: Int = 12,
                        file: StaticString = #filePath, line: UInt = #line, _ f: ([Variable]) -> Variable) {
        let probe = f(inputs.map { Variable($0) }).value
        // Weights of magnitude 0.5...1, so that no output's gradient is tiny.
        let r = tensor(n: probe.n, c: probe.c, h: probe.h, w: probe.w).map { $0 >= 0 ? 0.5 + $0 / 2 : -0.5 + $0 / 2 }
        func loss(_ xs: [Tensor]) -> Double {
            let y = f(xs.map { Variable($0) }).value
            var s = 0.0
            for i in 0..<y.count { s += Double(y.data[i]) * Double(r.data[i]) }
            return s
        }
        let vars = inputs.map { Variable($0, requiresGrad: true) }
        let y = f(vars)
        y.backward(seed: r)
        for (k, v) in vars.enumerated() {
            guard let g = v.grad else { XCTFail("input \(k) got no gradient", file: file, line: line); continue }
            let scale = max(g.data.map { Swift.abs($0) }.max() ?? 0, 1e-3)
            // Sampled coordinates.
            for _ in 0..<samples {
                let i = Int(rng.next() % UInt64(inputs[k].count))
                var plus = inputs, minus = inputs
                plus[k].data[i] += eps; minus[k].data[i] -= eps
                let num = Float((loss(plus) - loss(minus)) / Double(2 * eps))
                let err = Swift.abs(num - g.data[i]) / max(Swift.abs(num) + Swift.abs(g.data[i]), scale)
                XCTAssertLessThan(err, tol, "input \(k) element \(i): analytic \(g.data[i]) numeric \(num)", file: file, line: line)
            }
            // A random direction.
            let d = tensor(n: inputs[k].n, c: inputs[k].c, h: inputs[k].h, w: inputs[k].w)
            var plus = inputs, minus = inputs
            plus[k].addInPlace(d, scale: eps); minus[k].addInPlace(d, scale: -eps)
            let num = (loss(plus) - loss(minus)) / Double(2 * eps)
            var ana = 0.0
            for i in 0..<d.count { ana += Double(d.data[i]) * Double(g.data[i]) }
            let err = Swift.abs(num - ana) / max(Swift.abs(num) + Swift.abs(ana), 1e-6)
            XCTAssertLessThan(Float(err), tol, "input \(k) directional: analytic \(ana) numeric \(num)", file: file, line: line)
        }
    }
}
