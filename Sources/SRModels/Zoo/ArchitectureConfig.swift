/// An architecture's settings as strings by key (from a training config or a weight file's
/// metadata), read with typed getters that reject unknown keys and bad values.
public struct ArchitectureConfig: Sendable, Equatable {
    /// Raw values by key.
    public var values: [String: String]
    /// Creates a config.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// Throws unless every key is in `allowed`.
    func only(_ allowed: Set<String>, architecture: String) throws {
        if let bad = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ModelError.badArchitecture("\(architecture): unknown setting '\(bad)' (takes: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// The integer at `key` within `range`, or `def`.
    func int(_ key: String, _ def: Int, _ range: ClosedRange<Int>, architecture: String) throws -> Int {
        guard let s = values[key] else { return def }
        guard let v = Int(s), range.contains(v) else {
            throw ModelError.badArchitecture("\(architecture): \(key) must be an integer in \(range.lowerBound)...\(range.upperBound) (got \(s))")
        }
        return v
    }

    /// The value at `key`, one of `choices`, or `def`.
    func choice(_ key: String, _ def: String, _ choices: [String], architecture: String) throws -> String {
        guard let s = values[key] else { return def }
        guard choices.contains(s) else {
            throw ModelError.badArchitecture("\(architecture): \(key) must be one of \(choices.joined(separator: ", ")) (got \(s))")
        }
        return s
    }
}
