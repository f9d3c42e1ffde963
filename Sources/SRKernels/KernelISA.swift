import CKernels

/// A variant of the C kernels (`Sources/CKernels`): the same source compiled for one ISA.
///
/// `best` is chosen once from cpuid (AVX-512 F/BW/DQ/VL, else AVX2 + FMA, else baseline x86-64).
/// Every variant gives the reference result within rounding; tests run each one the CPU supports.
public enum KernelISA: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Baseline x86-64 (SSE2), 8-float lanes.
    case generic = 0
    /// AVX2 + FMA, 8-float lanes.
    case avx2 = 1
    /// The AVX-512 source (16-float lanes) compiled for AVX2: tests the 16-lane logic anywhere.
    case avx2Wide = 2
    /// AVX-512, 16-float lanes.
    case avx512 = 3

    /// The widest variant this CPU runs (computed once): the default of `ExecutionContext.isa`;
    /// `--kernels` picks another supported one (for comparisons and bug reports).
    public static let best: KernelISA = KernelISA(rawValue: Int(ck_isa_best().rawValue)) ?? .generic

    /// The variant with this short name (see `description`), or nil.
    public init?(name: String) {
        guard let isa = KernelISA.allCases.first(where: { $0.description == name }) else { return nil }
        self = isa
    }

    /// The variants this CPU runs.
    public static var supported: [KernelISA] { allCases.filter(\.isSupported) }

    /// True when this CPU runs the variant.
    public var isSupported: Bool { ck_isa_supported(cValue) != 0 }

    /// Short name: generic, avx2, avx2-w16, avx512.
    public var description: String { String(cString: ck_isa_name(cValue)) }

    var cValue: ck_isa { ck_isa(rawValue: UInt32(rawValue)) }
}
