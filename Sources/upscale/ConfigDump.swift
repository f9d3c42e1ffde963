import Foundation

/// `UPSCALE_PRINT_CONFIG=1`: a job command prints the configuration it resolved from its flags
/// and preset instead of running it (to check what a preset does; the CLI tests use it).
enum ConfigDump {
    /// Prints `config` when asked to and returns true (the command then stops); false otherwise.
    static func shown(_ config: Any, keys: Set<PresetKey>, quiet: Bool) -> Bool {
        guard let v = ProcessInfo.processInfo.environment["UPSCALE_PRINT_CONFIG"], !v.isEmpty, v != "0" else { return false }
        print("preset keys: " + keys.sorted().map(\.rawValue).joined(separator: " "))
        print("quiet: \(quiet)")
        print("config: \(String(describing: config))")
        return true
    }
}
