#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// What the processor offers the kernels: model, vendor, cpuid family/model and ISA features.
public struct CPUInfo: Sendable {
    /// "AMD EPYC 7B13", "Intel(R) Xeon(R) Platinum 8581C", ... (from /proc/cpuinfo; cpuid vendor if absent).
    public let modelName: String
    /// cpuid vendor: GenuineIntel, AuthenticAMD, ...
    public let vendor: String
    /// cpuid family and model (extended fields included).
    public let family: Int, model: Int
    /// Feature names usable here (OS state checked): avx2, fma, avx512f, avx512bw, ... amx.
    public let features: [String]
    /// Online logical processors.
    public let logicalCPUs: Int

    /// This machine's processor.
    public static let current = CPUInfo()

    private init() {
        var v = [CChar](repeating: 0, count: 13)
        ck_cpu_vendor(&v)
        vendor = String(decoding: v.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var fam: Int32 = 0, mod: Int32 = 0
        ck_cpu_family_model(&fam, &mod)
        family = Int(fam); model = Int(mod)
        let bits = ck_cpu_features()
        let names: [(ck_cpu_bit, String)] = [
            (CK_CPU_SSE42, "sse4.2"), (CK_CPU_AVX, "avx"), (CK_CPU_AVX2, "avx2"), (CK_CPU_FMA, "fma"),
            (CK_CPU_AVX512F, "avx512f"), (CK_CPU_AVX512BW, "avx512bw"), (CK_CPU_AVX512DQ, "avx512dq"),
            (CK_CPU_AVX512VL, "avx512vl"), (CK_CPU_AVX512VNNI, "avx512vnni"), (CK_CPU_AVX512BF16, "avx512bf16"),
            (CK_CPU_AVX512FP16, "avx512fp16"), (CK_CPU_AMX, "amx"), (CK_CPU_AVXVNNI, "avxvnni"),
        ]
        features = names.filter { bits & UInt32($0.0.rawValue) != 0 }.map(\.1)
        logicalCPUs = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        modelName = CPUInfo.procModelName() ?? vendor
    }

    /// True when the CPU has `feature` (a name from `features`).
    public func has(_ feature: String) -> Bool { features.contains(feature) }

    private static func procModelName() -> String? {
        guard let f = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 1024)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if s.hasPrefix("model name"), let colon = s.firstIndex(of: ":") {
                return s[s.index(after: colon)...].trimmed(of: " \t\n")
            }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        var sub = Substring(self)
        while let c = sub.first, set.contains(c) { sub.removeFirst() }
        while let c = sub.last, set.contains(c) { sub.removeLast() }
        return String(sub)
    }
}
