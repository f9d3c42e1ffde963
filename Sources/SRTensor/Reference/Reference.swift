/// Plain, obviously-correct implementations of every operator, written as direct loops.
///
/// They define what each operator means (ncnn's conventions) and are the ground truth that the
/// fast kernels in `SRKernels` are tested against. They are slow; use `Kernels` in real work.
/// All functions are pure and thread-safe.
public enum Reference {}
