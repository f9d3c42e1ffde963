import COpenBLAS
import Dispatch

/// OpenBLAS facts for reports and health checks.
///
/// OpenBLAS runs one thread per call in this process (`BLASCore.prepare`); how many threads a
/// GEMM uses is the caller's `ExecutionContext.blasThreads`.
public enum BLAS {
    /// Threads OpenBLAS itself uses per call (1 once `BLASCore.prepare` ran).
    public static var openblasThreads: Int { Int(openblas_get_num_threads()) }

    /// Best of five single-threaded `n`³ sgemm runs, in GFLOP/s (a health check of the kernels).
    public static func singleThreadGFLOPs(n: Int) -> Double {
        BLASCore.prepare()
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }
}

/// `c = a b` for row-major `a` (m x k) and `b` (k x n), through `cblas_sgemm` (for tests).
func cblasProduct(_ a: [Float], _ b: [Float], _ c: inout [Float], _ m: Int, _ n: Int, _ k: Int) {
    BLASCore.prepare()
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
}
