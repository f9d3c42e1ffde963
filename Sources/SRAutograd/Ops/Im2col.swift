import SRKernels

/// Geometry of a square-kernel convolution window for the autograd ops (dilation 1).
public struct Window: Sendable, Equatable {
    /// Kernel side, stride and zero padding on every side.
    public var kernel: Int, stride: Int, pad: Int
    /// Creates a window.
    public init(kernel: Int, stride: Int = 1, pad: Int = 0) { self.kernel = kernel; self.stride = stride; self.pad = pad }
    /// Output side for an input side.
    public func output(_ size: Int) -> Int { (size + 2 * pad - kernel) / stride + 1 }
}

/// im2col / col2im over one `c x h x w` plane stack, and the GEMM wrapper the autograd ops use.
enum Columns {
    /// Column matrices above this many floats (16 MB) are not built whole for a forward pass.
    static let largeColumns = 4 << 20

    /// Writes the `(c*k*k) x (oh*ow)` column matrix of `src` into `col`.
    static func im2col(_ src: UnsafePointer<Float>, c: Int, h: Int, w: Int, _ win: Window, into col: UnsafeMutablePointer<Float>) {
        let k = win.kernel, oh = win.output(h), ow = win.output(w), p = oh * ow
        for ch in 0..<c {
            let plane = src + ch * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let row = col + ((ch * k + ky) * k + kx) * p
                    for oy in 0..<oh {
                        let iy = oy * win.stride - win.pad + ky
                        let dst = row + oy * ow
                        if iy < 0 || iy >= h { for ox in 0..<ow { dst[ox] = 0 }; continue }
                        let line = plane + iy * w
                        for ox in 0..<ow {
                            let ix = ox * win.stride - win.pad + kx
                            dst[ox] = (ix >= 0 && ix < w) ? line[ix] : 0
                        }
                    }
                }
            }
        }
    }

    /// Adds the column matrix `col` back onto the planes `dst` (the adjoint of `im2col`).
    static func col2im(_ col: UnsafePointer<Float>, c: Int, h: Int, w: Int, _ win: Window, into dst: UnsafeMutablePointer<Float>) {
        let k = win.kernel, oh = win.output(h), ow = win.output(w), p = oh * ow
        for ch in 0..<c {
            let plane = dst + ch * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let row = col + ((ch * k + ky) * k + kx) * p
                    for oy in 0..<oh {
                        let iy = oy * win.stride - win.pad + ky
                        if iy < 0 || iy >= h { continue }
                        let line = plane + iy * w, src = row + oy * ow
                        for ox in 0..<ow {
                            let ix = ox * win.stride - win.pad + kx
                            if ix >= 0 && ix < w { line[ix] += src[ox] }
                        }
                    }
                }
            }
        }
    }

    /// C = alpha * op(A) * op(B) + beta * C, row-major; A is m x k after op, B is k x n after op.
    /// Single-threaded: callers run one image per worker.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, beta: Float = 0) {
        ExecutionContext.serial.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a, lda: transA ? m : k,
                                      b, ldb: transB ? k : n, beta: beta, c, ldc: n)
    }
}

/// Pointers one image's backward pass works with (the whole batch's buffers; index by image).
struct BackwardBuffers {
    let x: UnsafePointer<Float>, weight: UnsafePointer<Float>, grad: UnsafePointer<Float>
    let dx: UnsafeMutablePointer<Float>, weightParts: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>
}

extension Columns {
    /// Runs `body(image, buffers)` for each image of the batch on `context.threads` workers, with
    /// a fresh `columns`-float scratch per image; returns dx and the per-image weight gradients
    /// summed in image order (so the result does not depend on the thread count).
    static func backward(images n: Int, x: [Float], weight: [Float], grad: [Float], dxCount: Int, weightCount: Int, columns: Int,
                         context: ExecutionContext, _ body: (Int, BackwardBuffers) -> Void) -> (dx: [Float], dWeight: [Float]) {
        var dx = [Float](repeating: 0, count: dxCount), parts = [Float](repeating: 0, count: n * weightCount)
        x.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                grad.withUnsafeBufferPointer { gb in
                    dx.withUnsafeMutableBufferPointer { db in
                        parts.withUnsafeMutableBufferPointer { pb in
                            context.parallel(n) { i in
                                let col = UnsafeMutablePointer<Float>.allocate(capacity: max(columns, 1))
                                defer { col.deallocate() }
                                body(i, BackwardBuffers(x: xb.start, weight: wb.start, grad: gb.start, dx: db.start, weightParts: pb.start, columns: col))
                            }
                        }
                    }
                }
            }
        }
        var dw = [Float](repeating: 0, count: weightCount)
        for i in 0..<n { for j in 0..<weightCount { dw[j] += parts[i * weightCount + j] } }
        return (dx, dw)
    }
}

/// A sentinel for empty buffers, so that pointer code needs no force-unwrap.
nonisolated(unsafe) private let emptyStorage = UnsafeMutablePointer<Float>.allocate(capacity: 1)

extension UnsafeBufferPointer<Float> {
    /// The first element's address (a valid sentinel when empty).
    var start: UnsafePointer<Float> { baseAddress ?? UnsafePointer(emptyStorage) }
}

extension UnsafeMutableBufferPointer<Float> {
    /// The first element's address (a valid sentinel when empty).
    var start: UnsafeMutablePointer<Float> { baseAddress ?? emptyStorage }
}
