import Foundation

/// A model's inference graph as an ncnn `.param`/`.bin` pair, for other engines to run the very
/// same network (the peer benchmarks convert it to ONNX).
public enum NCNNExport {
    /// Writes `DIR/NAME.param` and `DIR/NAME.bin` for a built-in model, a `.safetensors` file or an
    /// installed ncnn model (copied); returns the two paths.
    public static func write(model name: String, to directory: String) throws -> (param: String, bin: String) {
        let stem = name.hasSuffix(".safetensors") ? ((name as NSString).lastPathComponent as NSString).deletingPathExtension : name
        let param = (directory as NSString).appendingPathComponent(stem + ".param")
        let bin = (directory as NSString).appendingPathComponent(stem + ".bin")
        let net: any TrainableNetwork
        if name.hasSuffix(".safetensors") {
            guard FileManager.default.fileExists(atPath: name) else { throw ModelError.cannotRead(path: name, reason: "No such file or directory") }
            net = try ArchitectureRegistry.load(SafeTensors(contentsOf: name), file: (name as NSString).lastPathComponent)
        } else if BuiltinModels.bytes(name) != nil {
            net = try BuiltinModels.network(name)
        } else {
            let d = try ModelCatalog.locate(name)
            for (from, to) in [(d.paramPath, param), (d.binPath, bin)] {
                let data = try Data(contentsOf: URL(fileURLWithPath: from))
                try write(data, to: to)
            }
            return (param, bin)
        }
        if net is FusionNet { throw ModelError.badWeightsFile(file: name, detail: "a fusion model runs two source models and has no single graph to export") }
        if net is SR3UNet {
            throw ModelError.badWeightsFile(file: name, detail: "a diffusion model runs its U-Net once per sampling step over a base model; there is no single graph to export")
        }
        let g = try net.ncnnGraph()
        try write(Data(g.paramText.utf8), to: param)
        try write(Data(g.bin), to: bin)
        return (param, bin)
    }

    private static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ModelError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
