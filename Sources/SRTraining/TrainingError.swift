import SRPipeline

/// Errors of the training module's own: a config file that cannot be used as written.
/// (Bad data folders and interruptions are `PipelineError`s, as in every other job.)
public enum TrainingError: UserFacingError {
    /// The config file is unreadable or a key is wrong; the message names the file and key.
    case config(String)

    public var description: String {
        switch self {
        case .config(let m): return m
        }
    }
}
