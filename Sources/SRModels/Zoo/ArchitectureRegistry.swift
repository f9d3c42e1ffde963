import Foundation
import SRAutograd

/// Every trainable architecture by name: one line each.
public enum ArchitectureRegistry {
    /// Factories by registry name.
    public static let factories: [String: @Sendable (ArchitectureConfig, Int, UInt64) throws -> any TrainableNetwork] = [
        SRVGGNetCompact.architecture: { try SRVGGNetCompact(config: $0, scale: $1, seed: $2) },
        SRResNet.architecture: { try SRResNet(config: $0, scale: $1, seed: $2) },
        FCSNet.architecture: { try FCSNet(config: $0, scale: $1, seed: $2) },
        ESPCN.architecture: { try ESPCN(config: $0, scale: $1, seed: $2) },
        FusionNet.architecture: { try FusionNet(config: $0, scale: $1, seed: $2) },
        SR3UNet.architecture: { try SR3UNet(config: $0, scale: $1, seed: $2) },
    ]

    /// A fresh network.
    public static func make(_ architecture: String, config: ArchitectureConfig = ArchitectureConfig(), scale: Int, seed: UInt64 = 0) throws -> any TrainableNetwork {
        guard let f = factories[architecture] else {
            throw ModelError.badArchitecture("unknown architecture '\(architecture)' (known: \(factories.keys.sorted().joined(separator: ", ")))")
        }
        return try f(config, scale, seed)
    }

    /// The network saved in a safetensors file written by `upscale train` (architecture, scale
    /// and config from its metadata; weights by name with shapes checked).
    public static func load(_ st: SafeTensors, file: String) throws -> any TrainableNetwork {
        guard let arch = st.metadata["architecture"], let scaleText = st.metadata["scale"], let scale = Int(scaleText) else {
            throw ModelError.badWeightsFile(file: file, detail: "metadata lacks 'architecture' or 'scale' (not written by upscale train?)")
        }
        var config = ArchitectureConfig()
        if let text = st.metadata["config"], let data = text.data(using: .utf8) {
            guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ModelError.badWeightsFile(file: file, detail: "metadata 'config' is not a JSON object")
            }
            for (k, v) in obj { config.values[k] = v as? String ?? "\(v)" }
        }
        let net = try make(arch, config: config, scale: scale)
        try net.load(st, file: file)
        return net
    }
}
