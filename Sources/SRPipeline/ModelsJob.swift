import SRMedia
import SRModels

/// `upscale models list|info|export`: what is installed, what one model is, its graph as files.
public enum ModelsJob {
    /// One installed model as `models list` shows it.
    public struct Entry: Sendable {
        /// Model name and enlargement factor.
        public var name: String, scale: Int
        /// Architecture, learned values and FLOPs per input pixel (nil when unreadable).
        public var architecture: String?, parameters: Int?, flopsPerPixel: Double?
        /// Why the files could not be loaded, when they could not.
        public var problem: String?
        /// What input the model is for (its family's `use`).
        public var use: String = ""
    }

    /// The models folder and every installed model, loaded to measure it.
    public static func list() -> (folder: String, models: [Entry]) {
        let entries = ModelCatalog.installed().map { d -> Entry in
            let use = ModelCatalog.families.first { $0.name == d.family }?.use ?? ""
            do {
                let m = try LoadedModel(descriptor: d)
                return Entry(name: d.name, scale: d.scale, architecture: m.architecture, parameters: m.parameterCount,
                             flopsPerPixel: m.flopsPerInputPixel(), problem: nil, use: use)
            } catch {
                return Entry(name: d.name, scale: d.scale, architecture: nil, parameters: nil, flopsPerPixel: nil,
                             problem: "\(error)", use: use)
            }
        }
        return (ModelCatalog.modelsDirectory, entries)
    }

    /// What `models info` shows about one model.
    public struct Info: Sendable {
        /// Name, family, scale and architecture.
        public var name: String, family: String, scale: Int, architecture: String
        /// Learned values and FLOPs per input pixel.
        public var parameters: Int, flopsPerPixel: Double
        /// Edge replication and size alignment of the input convention.
        public var prepadding: Int, alignment: Int
        /// Where the weights are: (label, path) pairs; empty for a built-in model.
        public var files: [(label: String, path: String)]
        /// True for a model compiled into the binary.
        public var isBuiltin: Bool
    }

    /// Loads the model `name` (a name, a built-in or a `.safetensors` file) and describes it.
    public static func info(_ name: String) throws -> Info {
        let m = try LoadedModel.source(name), d = m.descriptor
        let files: [(label: String, path: String)] = d.isBuiltin ? []
            : d.weightsPath.map { [("weights file", $0)] } ?? [("param file", d.paramPath), ("bin file", d.binPath)]
        return Info(name: d.name, family: d.family, scale: d.scale, architecture: m.architecture, parameters: m.parameterCount,
                    flopsPerPixel: m.flopsPerInputPixel(), prepadding: d.prepadding, alignment: d.alignment, files: files,
                    isBuiltin: d.isBuiltin)
    }

    /// Writes the model's inference graph as `NAME.param` / `NAME.bin` into `directory`.
    public static func export(_ name: String, to directory: String) throws -> (param: String, bin: String) {
        try NCNNExport.write(model: name, to: directory)
    }

    /// Levenshtein distance between two names (for "did you mean" hints).
    public static func editDistance(_ a: String, _ b: String) -> Int { ModelCatalog.editDistance(a, b) }

    /// True when `path` names an image format upscale writes (by extension).
    public static func isImagePath(_ path: String) -> Bool { ImageFile.isImagePath(path) }
}
