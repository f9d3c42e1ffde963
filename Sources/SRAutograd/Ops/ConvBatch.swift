import SRKernels
import SRTensor

/// Geometry of a square-kernel convolution window for the autograd ops (dilation 1).
///
/// Only a short name for a `ConvGeometry` (`geometry(inChannels:outChannels:)`), which does all
/// the arithmetic: output sizes, im2col, col2im.
public struct Window: Sendable, Equatable {
    /// Kernel side, stride and zero padding on every side.
    public var kernel: Int, stride: Int, pad: Int
    /// Creates a window.
    public init(kernel: Int, stride: Int = 1, pad: Int = 0) { self.kernel = kernel; self.stride = stride; self.pad = pad }
    /// The kernels' geometry of this window from `inChannels` to `outChannels` planes.
    public func geometry(inChannels: Int, outChannels: Int) -> ConvGeometry {
        ConvGeometry(inChannels: inChannels, outChannels: outChannels, kernel: kernel, stride: stride, pad: pad)
    }
}

/// Pointers one image's backward pass works with (the whole batch's buffers; index by image).
struct BackwardBuffers {
    let x: UnsafePointer<Float>, weight: UnsafePointer<Float>, grad: UnsafePointer<Float>
    let dx: UnsafeMutablePointer<Float>, weightParts: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>
}

/// The per-image plumbing of autograd's batched convolutions (the math is `ConvGeometry`'s).
enum ConvBatch {
    /// Column matrices above this many floats (16 MB) are not built whole for a forward pass.
    static let largeColumns = 4 << 20

    /// C = op(A) * op(B), row-major and packed: A is m x k after op, B is k x n after op.
    /// Single-threaded (`ExecutionContext.serial`): callers run one image per worker.
    static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>,
                     _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        ExecutionContext.serial.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, a, lda: transA ? m : k,
                                      b, ldb: transB ? k : n, c, ldc: n)
    }

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
