import Foundation
import SRAutograd
import SRMedia
import SRModels
import SRPipeline

/// Training state on disk: the weights, Adam's moments and the step, in one safetensors file
/// (`adam.m.<name>` / `adam.v.<name>` beside the weights; `step` in the metadata).
enum Checkpoint {
    /// Writes the state atomically.
    static func save(_ net: any TrainableNetwork, optimizer: Adam, discriminator: (d: VGGDiscriminator, adam: Adam)? = nil,
                     step: Int, to path: String) throws {
        var st = net.safeTensors(extra: ["step": "\(step)", "adam_step": "\(optimizer.stepCount)"])
        for (k, p) in net.parameters.enumerated() {
            st.tensors["adam.m.\(p.name)"] = .init(shape: p.shape, values: optimizer.m[k])
            st.tensors["adam.v.\(p.name)"] = .init(shape: p.shape, values: optimizer.v[k])
        }
        if let (d, adam) = discriminator {
            st.metadata["disc_adam_step"] = "\(adam.stepCount)"
            for (k, p) in d.parameters.enumerated() {
                st.tensors["disc.\(p.name)"] = .init(shape: p.shape, values: p.variable.value.data)
                st.tensors["disc.adam.m.\(p.name)"] = .init(shape: p.shape, values: adam.m[k])
                st.tensors["disc.adam.v.\(p.name)"] = .init(shape: p.shape, values: adam.v[k])
            }
        }
        try AtomicFile.write(Data(try st.serialized()), to: path)
    }

    /// Loads the state into `net` and `optimizer`; returns the step to continue from.
    static func restore(_ path: String, into net: any TrainableNetwork, optimizer: Adam,
                        discriminator: (d: VGGDiscriminator, adam: Adam)? = nil) throws -> Int {
        let st = try SafeTensors(contentsOf: path)
        let name = (path as NSString).lastPathComponent
        guard st.metadata["architecture"] == type(of: net).architecture, st.metadata["scale"] == "\(net.scale)" else {
            throw PipelineError.invalidOption("\(path) was made for \(st.metadata["architecture"] ?? "?") x\(st.metadata["scale"] ?? "?"), not this config; delete it or change output")
        }
        try net.load(st, file: name)
        let m = try net.parameters.map { try st.tensor("adam.m.\($0.name)", shape: $0.shape, file: name) }
        let v = try net.parameters.map { try st.tensor("adam.v.\($0.name)", shape: $0.shape, file: name) }
        guard let step = Int(st.metadata["step"] ?? ""), let adamStep = Int(st.metadata["adam_step"] ?? "") else {
            throw PipelineError.invalidOption("\(path) has no step in its metadata; delete it to start over")
        }
        try optimizer.restore(step: adamStep, m: m, v: v)
        if let (d, adam) = discriminator {
            for p in d.parameters { p.variable.value.data = try st.tensor("disc.\(p.name)", shape: p.shape, file: name) }
            let dm = try d.parameters.map { try st.tensor("disc.adam.m.\($0.name)", shape: $0.shape, file: name) }
            let dv = try d.parameters.map { try st.tensor("disc.adam.v.\($0.name)", shape: $0.shape, file: name) }
            try adam.restore(step: Int(st.metadata["disc_adam_step"] ?? "") ?? 0, m: dm, v: dv)
        }
        return step
    }
}
