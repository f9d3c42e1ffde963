import SRTensor

/// Errors of the autograd module.
public enum AutogradError: UserFacingError, Equatable {
    /// Saved state (a checkpoint) does not fit the objects it is restored into.
    case stateMismatch(String)

    public var description: String {
        switch self {
        case .stateMismatch(let d): return "\(d); was the checkpoint made with another configuration?"
        }
    }
}
