/// Fast operators with the same signatures and meaning as `Reference`.
///
/// Every function here is tested against its `Reference` twin (Tests/SRKernelsTests).
/// Thread safety: all functions are reentrant; several Dispatch workers may call them at once.
/// Each call allocates its own scratch memory (im2col columns, padded planes) and frees it on
/// return; nothing is cached between calls.
/// BLAS is used only for GEMM; its threading is process-wide: see `BLAS.threads`.
public enum Kernels {}
