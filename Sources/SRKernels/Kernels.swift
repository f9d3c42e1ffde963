/// Fast operators with the same signatures and meaning as `Reference`.
///
/// Every function here is tested against its `Reference` twin (Tests/SRKernelsTests).
/// Thread safety: all functions are reentrant; several Dispatch workers may call them at once.
/// Scratch memory (im2col columns, Winograd tile blocks, padded planes) and outputs come from the
/// calling thread's `TensorPool` when one is bound (reused from call to call), else they are
/// allocated and freed per call. 3x3 stride-1 convolutions run as Winograd F(6x6, 3x3)
/// (`winogradConvolution`), spread over `Kernels.threads` Dispatch workers.
/// BLAS is used only for GEMM; its threading is process-wide: see `BLAS.threads`.
public enum Kernels {
    /// Dispatch workers one call of a parallel kernel (Winograd) uses. Process-wide like
    /// `BLAS.threads`: set it before starting work, not from inside a worker.
    nonisolated(unsafe) public static var threads = 1
}
