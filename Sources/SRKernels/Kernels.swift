/// Fast operators with the same signatures and meaning as `Reference`.
///
/// Every function here is tested against its `Reference` twin (Tests/SRKernelsTests).
/// Thread safety: all functions are reentrant; several Dispatch workers may call them at once.
/// Scratch memory (im2col columns, Winograd tile blocks, padded planes) and outputs come from the
/// calling thread's `TensorPool` when one is bound (reused from call to call), else they are
/// allocated and freed per call. 3x3 stride-1 convolutions run as Winograd F(6x6, 3x3)
/// (`winogradConvolution`). How many workers a parallel kernel uses, how a GEMM is split and
/// which C-kernel variant runs come from the `ExecutionContext` argument (default `.serial`);
/// nothing here reads global settings. BLAS is used only for GEMM (`ExecutionContext.sgemm`).
public enum Kernels {}
