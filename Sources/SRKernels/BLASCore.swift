#if canImport(Glibc)
import Glibc
#endif
import CKernels
import COpenBLAS

/// Which OpenBLAS kernel set (core) runs the GEMMs, and the start-up choice of a better one.
///
/// Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) picks its kernels from the cpuid model number and falls
/// back to generic ones (Prescott: SSE3, 8x slower sgemm) on CPUs newer than it knows. `selectBest`
/// then switches to the kernels the CPU's features support (SkylakeX for AVX-512, Haswell or Zen
/// for AVX2 + FMA), unless the user set `OPENBLAS_CORETYPE`, which always wins.
/// Threading: call `selectBest` once at start-up, before other threads run BLAS.
public enum BLASCore {
    /// Kernel sets OpenBLAS uses when it does not recognise a CPU, or for pre-AVX2 CPUs.
    public static let fallbacks: Set<String> = [
        "unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn",
        "dunnington", "nehalem", "sandybridge", "athlon", "opteron", "opteron_sse3", "barcelona", "bobcat",
        "bulldozer", "piledriver", "steamroller", "excavator", "nano",
    ]

    /// How the core in use was chosen.
    public enum Origin: String, Sendable, Codable {
        /// OpenBLAS's own choice, kept.
        case openblas
        /// Chosen by upscale over OpenBLAS's fallback.
        case selected
        /// Set by the user's `OPENBLAS_CORETYPE`.
        case environment
    }

    /// The outcome of the start-up selection.
    public struct Selection: Sendable, Codable, Equatable {
        /// The core in use now.
        public var core: String
        /// What OpenBLAS had chosen by itself.
        public var openblasChoice: String
        /// How `core` was chosen.
        public var origin: Origin
    }

    /// The name of the kernel set in use ("Zen", "Haswell", "SkylakeX", "Prescott", ...).
    public static var current: String { String(cString: ck_blas_corename()) }

    /// OpenBLAS's build configuration ("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64").
    public static var configuration: String { String(cString: ck_blas_config()) }

    /// True for a generic kernel set that a CPU with AVX2 or AVX-512 should not be running.
    public static func isFallback(_ core: String) -> Bool { fallbacks.contains(core.lowercased()) }

    /// The kernel set to use instead of `core` on a CPU with `features` from `vendor`, or nil when
    /// `core` is fine or nothing better runs there.
    public static func recommended(core: String, features: [String], vendor: String) -> String? {
        guard isFallback(core) else { return nil }
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(features.contains) { return "SkylakeX" }
        if features.contains("avx2") && features.contains("fma") { return vendor == "AuthenticAMD" ? "Zen" : "Haswell" }
        return nil
    }

    /// Switches to kernel set `name` now; true when it is then in use. Not thread-safe.
    @discardableResult
    public static func use(_ name: String) -> Bool { ck_blas_use_core(name) != 0 }

    /// The start-up selection, made once per process (first use): keeps a user's
    /// `OPENBLAS_CORETYPE`, else replaces a fallback core by the recommended one.
    public static let selection: Selection = select(environment: getenv("OPENBLAS_CORETYPE").map { String(cString: $0) })

    /// Makes the start-up selection if it has not been made yet; returns it.
    @discardableResult
    public static func selectBest() -> Selection { prepared }

    /// The selection, made together with the one process-wide OpenBLAS setting: one thread per
    /// call (`ExecutionContext.sgemm` splits large products itself, per call).
    private static let prepared: Selection = {
        let s = selection
        openblas_set_num_threads(1)
        return s
    }()

    /// Makes the start-up selection and sets OpenBLAS to one thread per call, once per process.
    @inline(__always)
    public static func prepare() { _ = prepared }

    /// The selection for a given `OPENBLAS_CORETYPE` value (nil: unset). Switches cores; not thread-safe.
    public static func select(environment: String?) -> Selection {
        let chosen = current
        if let env = environment, !env.isEmpty { return Selection(core: chosen, openblasChoice: chosen, origin: .environment) }
        let cpu = CPUInfo.current
        guard let better = recommended(core: chosen, features: cpu.features, vendor: cpu.vendor) else {
            return Selection(core: chosen, openblasChoice: chosen, origin: .openblas)
        }
        guard use(better) else {
            use(chosen)
            return Selection(core: current, openblasChoice: chosen, origin: .openblas)
        }
        return Selection(core: current, openblasChoice: chosen, origin: .selected)
    }
}
