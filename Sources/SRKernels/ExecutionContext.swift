import COpenBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// How one job runs its kernels: workers per parallel kernel, ways a GEMM is split, the Winograd
/// policy and the C-kernel variant.
///
/// A value passed down explicitly, never a global: the tiled runner hands its context to the
/// network's forward, the network to each layer, the layer to the kernels; autograd variables
/// carry the context of the input they were computed from. Two jobs in one process (frames or
/// batch `--jobs`) each hold their own and never see each other's settings.
///
/// OpenBLAS itself always runs one thread per call (set once, at the first GEMM): a GEMM that
/// should use several threads is split here into column blocks over Dispatch workers, so the
/// thread count belongs to the call, not to the process. Scratch memory is not part of the
/// context: it comes from the calling thread's `TensorPool` (one per tile worker).
public struct ExecutionContext: Sendable, Equatable, CustomStringConvertible {
    /// Dispatch workers one parallel kernel uses (Winograd tile blocks, the images of a batch).
    public var threads: Int
    /// Column blocks one large GEMM is split into, each a single-threaded OpenBLAS call.
    public var blasThreads: Int
    /// Whether 3x3 convolutions run as Winograd F(6x6,3x3) (networks prepared for this context
    /// keep im2col + GEMM everywhere when false; for comparisons).
    public var winograd: Bool
    /// The C-kernel variant (default: the widest this CPU runs).
    public var isa: KernelISA
    /// Where the input handed to a model sits in the frame (its top-left pixel, in input pixels):
    /// the tiled runner sets it per tile, so position-seeded noise (diffusion sampling) does not
    /// depend on the tiling. 0, 0 for a whole frame.
    public var originX = 0, originY = 0

    /// Creates a context; counts below 1 mean 1. The first context of a process also makes the
    /// OpenBLAS start-up selection (`BLASCore.prepare`), so no GEMM runs before it.
    public init(threads: Int = 1, blasThreads: Int = 1, winograd: Bool = true, isa: KernelISA = .best) {
        BLASCore.prepare()
        self.threads = max(1, threads); self.blasThreads = max(1, blasThreads)
        self.winograd = winograd; self.isa = isa
    }

    /// One thread, one BLAS thread, Winograd on, the widest kernels: what tests and small jobs use.
    public static let serial = ExecutionContext()

    /// Every online core as threads and as GEMM splits (one-off work: metrics, checks).
    public static var allCores: ExecutionContext {
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return ExecutionContext(threads: n, blasThreads: n)
    }

    public var description: String {
        "\(threads) thread(s), \(blasThreads) BLAS thread(s), Winograd \(winograd ? "on" : "off"), \(isa) kernels"
    }

    /// A copy whose input starts at (`x`, `y`) of the frame.
    public func at(x: Int, y: Int) -> ExecutionContext {
        var c = self
        c.originX = x; c.originY = y
        return c
    }

    /// A copy with other thread counts.
    public func with(threads: Int, blasThreads: Int) -> ExecutionContext {
        var c = self
        c.threads = max(1, threads); c.blasThreads = max(1, blasThreads)
        return c
    }

    /// Runs `body(i)` for `0..<count` on up to `threads` Dispatch workers (inline when one).
    /// `body` must only touch disjoint data per index, or data it synchronises itself.
    public func parallel(_ count: Int, _ body: (Int) -> Void) {
        if threads <= 1 || count <= 1 { for i in 0..<count { body(i) }; return }
        // concurrentPerform returns only after every iteration ran, so `body` does not escape.
        withoutActuallyEscaping(body) { b in
            DispatchQueue.concurrentPerform(iterations: count, execute: unsafeBitCast(b, to: (@Sendable (Int) -> Void).self))
        }
    }

    /// Products smaller than this many multiply-adds are not worth splitting.
    static let splitThreshold = 1 << 22

    /// `C = alpha op(A) op(B) + beta C`, row-major, `op(A)` m x k and `op(B)` k x n, split over
    /// `blasThreads` column blocks of C (multiples of 16 columns) when the product is large.
    public func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                      _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        let ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans
        let parts = m * n * k < ExecutionContext.splitThreshold ? 1 : min(blasThreads, max(1, n / 64))
        if parts <= 1 {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                        beta, c, Int32(ldc))
            return
        }
        let width = ((n + parts - 1) / parts + 15) & ~15
        let blocks = (n + width - 1) / width
        let bp = UnsafeSendable(b), cp = UnsafeSendable(c), ap = UnsafeSendable(a)
        DispatchQueue.concurrentPerform(iterations: blocks) { j in
            let j0 = j * width, cols = min(width, n - j0)
            // Column block j0..<j0+cols of op(B) and of C.
            let bj = transB ? bp.pointer + j0 * ldb : bp.pointer + j0
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(cols), Int32(k), alpha, ap.pointer, Int32(lda),
                        bj, Int32(ldb), beta, cp.pointer + j0, Int32(ldc))
        }
    }
}

/// A pointer handed to Dispatch workers that each use a disjoint part of what it points to.
struct UnsafeSendable<P>: @unchecked Sendable {
    let pointer: P
    init(_ pointer: P) { self.pointer = pointer }
}
