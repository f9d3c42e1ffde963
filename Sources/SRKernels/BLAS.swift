import COpenBLAS

/// Process-wide OpenBLAS settings.
///
/// OpenBLAS keeps one thread pool per process; set `threads` before starting parallel work,
/// not from inside a worker.
public enum BLAS {
    /// Number of threads OpenBLAS uses for one GEMM call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
