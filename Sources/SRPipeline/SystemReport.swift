import Foundation
import SRKernels

/// What `upscale doctor` prints: the machine and the code paths the engine takes on it, one
/// screen a user can paste into a bug report.
public struct SystemReport: Sendable, Codable {
    public var upscale_version: String
    public var cpu_model: String
    public var cpu_vendor: String
    public var cpu_family: Int
    public var cpu_model_number: Int
    public var logical_cpus: Int
    public var cpu_features: [String]
    /// The C kernel variant in use (avx512, avx2, generic) and the ones this CPU runs.
    public var kernel_isa: String
    public var kernel_isas_supported: [String]
    public var blas_config: String
    /// The OpenBLAS kernel set in use, what OpenBLAS chose by itself, and how it was decided.
    public var blas_core: String
    public var blas_core_openblas_choice: String
    public var blas_core_origin: String
    public var openblas_coretype_env: String?
    /// Measured single-thread sgemm speed on 512x512x512 (GFLOP/s).
    public var sgemm_gflops_1thread: Double
    public var default_threads: Int
    public var winograd: Bool
    public var memory_budget_bytes: Int
    public var memory_total_bytes: Int

    /// Collects the report (runs a short sgemm measurement, about 0.1 s).
    public static func collect(version: String) -> SystemReport {
        let sel = BLASCore.selectBest(), cpu = CPUInfo.current
        let env = ProcessInfo.processInfo.environment
        return SystemReport(
            upscale_version: version, cpu_model: cpu.modelName, cpu_vendor: cpu.vendor, cpu_family: cpu.family,
            cpu_model_number: cpu.model, logical_cpus: cpu.logicalCPUs, cpu_features: cpu.features,
            kernel_isa: KernelISA.best.description, kernel_isas_supported: KernelISA.supported.map(\.description),
            blas_config: BLASCore.configuration, blas_core: sel.core, blas_core_openblas_choice: sel.openblasChoice,
            blas_core_origin: sel.origin.rawValue, openblas_coretype_env: env["OPENBLAS_CORETYPE"],
            sgemm_gflops_1thread: BLAS.singleThreadGFLOPs(n: 512), default_threads: ProcessInfo.processInfo.activeProcessorCount,
            winograd: TileOptions().winograd, memory_budget_bytes: TileOptions().maxMemory,
            memory_total_bytes: Int(ProcessInfo.processInfo.physicalMemory))
    }

    /// The report as aligned "key  value" lines.
    public var lines: [(String, String)] {
        let gib = { (b: Int) in String(format: "%.1f GiB", Double(b) / Double(1 << 30)) }
        var blas = blas_core
        switch blas_core_origin {
        case "selected": blas += " (selected by upscale; OpenBLAS alone chose \(blas_core_openblas_choice), a generic fallback)"
        case "environment": blas += " (OPENBLAS_CORETYPE=\(openblas_coretype_env ?? ""))"
        default: blas += BLASCore.isFallback(blas_core) ? " (generic fallback: no better kernels run on this CPU)" : " (OpenBLAS's own choice)"
        }
        return [
            ("upscale", upscale_version),
            ("cpu", "\(cpu_model) (\(cpu_vendor) family \(cpu_family) model \(cpu_model_number)), \(logical_cpus) logical CPUs"),
            ("cpu features", cpu_features.joined(separator: " ")),
            ("kernels", "\(kernel_isa) (this CPU runs: \(kernel_isas_supported.joined(separator: ", ")))"),
            ("blas", blas_config),
            ("blas core", blas),
            ("sgemm, 1 thread", String(format: "%.1f GFLOP/s (512x512x512)", sgemm_gflops_1thread)),
            ("threads", "\(default_threads) by default (--threads)"),
            ("winograd", winograd ? "on (3x3 convolutions as F(6x6,3x3), channel-blocked between layers)" : "off (--winograd off)"),
            ("memory", "budget \(gib(memory_budget_bytes)) per frame (--max-memory), \(gib(memory_total_bytes)) installed"),
        ]
    }
}
