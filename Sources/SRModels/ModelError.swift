import SRTensor

/// Errors of the model module: loading ncnn files, building graphs, running them, finding models.
///
/// Every `description` is one line a user can act on: it names the file, the layer or the model.
public enum ModelError: UserFacingError, Equatable {
    /// A file could not be read at all (missing, unreadable).
    case cannotRead(path: String, reason: String)
    /// A file could not be written (folder missing, read-only, disk full).
    case cannotWrite(path: String, reason: String)
    /// The `.param` file does not start with ncnn's magic number.
    case notParamFile(path: String)
    /// A line of the `.param` file is malformed.
    case malformedParam(file: String, line: Int, reason: String)
    /// A layer type this importer does not implement.
    case unknownLayerType(file: String, layer: String, type: String)
    /// A parameter key that the layer type does not know or this importer does not support.
    case unsupportedParameter(file: String, layer: String, type: String, key: Int)
    /// A known parameter with a value this importer cannot handle.
    case unsupportedValue(file: String, layer: String, type: String, detail: String)
    /// The `.bin` file ends before all weights of a layer were read.
    case truncatedWeights(file: String, layer: String, type: String, missingBytes: Int)
    /// The `.bin` file has bytes left after the last layer's weights.
    case trailingWeights(file: String, extraBytes: Int)
    /// Declared weight sizes do not fit the layer's shape.
    case weightShape(file: String, layer: String, detail: String)
    /// The graph is inconsistent (a blob used before it is produced, a wrong input count).
    case badGraph(file: String, layer: String, detail: String)
    /// A layer received inputs of shapes it cannot combine.
    case shapeMismatch(layer: String, detail: String)
    /// No model of that name; `suggestions` are close known names.
    case unknownModel(name: String, suggestions: [String], folderEmpty: Bool, folder: String)
    /// The model family has no variant with the requested scale.
    case noScaleVariant(model: String, scale: Int, available: [Int])
    /// A known model whose files are not in the models folder.
    case notInstalled(name: String, folder: String)
    /// An input image that the model cannot take.
    case badInput(model: String, detail: String)
    /// A safetensors weight file that is malformed or does not fit its architecture.
    case badWeightsFile(file: String, detail: String)
    /// An architecture name or configuration that the zoo does not have.
    case badArchitecture(String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        case .notParamFile(let path):
            return "cannot read '\(path)': not an ncnn param file (magic 7767517 missing)"
        case .malformedParam(let file, let line, let reason):
            return "\(file):\(line): malformed ncnn param line: \(reason)"
        case .unknownLayerType(let file, let layer, let type):
            return "\(file): layer '\(layer)' has type '\(type)', which this program does not support"
        case .unsupportedParameter(let file, let layer, let type, let key):
            return "\(file): layer '\(layer)' (\(type)) has parameter \(key)=..., which this program does not support"
        case .unsupportedValue(let file, let layer, let type, let detail):
            return "\(file): layer '\(layer)' (\(type)): \(detail)"
        case .truncatedWeights(let file, let layer, let type, let missing):
            return "\(file): data ends inside layer '\(layer)' (\(type)): needs \(missing) bytes more"
        case .trailingWeights(let file, let extra):
            return "\(file): \(extra) bytes left after the last layer's weights (does the .bin belong to this .param?)"
        case .weightShape(let file, let layer, let detail):
            return "\(file): layer '\(layer)': \(detail)"
        case .badGraph(let file, let layer, let detail):
            return "\(file): layer '\(layer)': \(detail)"
        case .shapeMismatch(let layer, let detail):
            return "layer '\(layer)': \(detail)"
        case .unknownModel(let name, let suggestions, let empty, let folder):
            let shown = name.count > 120 ? "\(name.prefix(60))... (\(name.count) characters)" : name
            var s = "unknown model '\(shown)'"
            if !suggestions.isEmpty { s += " (did you mean \(suggestions.joined(separator: ", "))?)" }
            if empty { s += "; no models installed in \(folder): run `make models`" }
            return s
        case .noScaleVariant(let model, let scale, let available):
            return "model '\(model)' has no x\(scale) variant (available: \(available.map { "x\($0)" }.joined(separator: ", ")))"
        case .notInstalled(let name, let folder):
            return "model '\(name)' is not installed in \(folder): run `make models` (or set UPSCALE_MODELS)"
        case .badInput(let model, let detail):
            return "model '\(model)': \(detail)"
        case .badWeightsFile(let file, let detail):
            return "\(file): \(detail)"
        case .badArchitecture(let detail):
            return detail
        }
    }
}
