/// What can go wrong reading a degradation spec or a degradation table.
public enum DegradeError: Error, CustomStringConvertible, Equatable {
    /// A `--degrade` spec that cannot be read: the stage and why.
    case badSpec(stage: String, reason: String)
    /// A `[data.degradation]` value out of its documented range.
    case badSetting(key: String, reason: String)

    public var description: String {
        switch self {
        case .badSpec(let stage, let reason):
            return "--degrade '\(stage)': \(reason) (stages: h264:crf=N, mpeg2:q=N, jpeg:q=N, noise:sigma=N[:gray=1], "
                + "poisson:scale=N, blur:sigma=N, joined by commas)"
        case .badSetting(let key, let reason): return "data.degradation.\(key): \(reason)"
        }
    }
}
