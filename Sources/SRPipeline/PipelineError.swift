import SRTensor

/// Errors of the pipeline module; `description` is one line a user can act on.
public enum PipelineError: UserFacingError {
    /// The input path does not exist.
    case inputMissing(String)
    /// The output exists and overwriting was not allowed.
    case outputExists(String)
    /// Input and output name the same file.
    case outputIsInput(String)
    /// The output folder does not exist.
    case outputFolderMissing(String)
    /// A scale the chosen upscaler cannot produce.
    case unsupportedScale(model: String, scale: Int, available: [Int])
    /// A bad value for an option.
    case invalidOption(String)
    /// The run was interrupted (SIGINT/SIGTERM/SIGHUP); nothing was written.
    case interrupted
    /// A run writing frames into `folder` was interrupted; the finished frames are kept.
    case interruptedKeepingFrames(folder: String)
    /// The output does not match the input (the post-run audit); it was removed.
    case auditFailed(String)
    /// The work folder of a resumable run cannot be written (read-only disk, permission, disk full).
    case workFolder(path: String, reason: String)
    /// An unfinished run's work folder does not match this run (another input or settings).
    case resumeMismatch(output: String, folder: String, why: String)
    /// Another process is writing the same output (its work folder is locked).
    case outputBusy(output: String, pid: Int32?)
    /// A resumable run stopped (interrupted or failed); its finished segments are kept.
    indirect case segmentsKept(cause: String, code: Int32, folder: String, done: Int, total: Int)

    public var description: String {
        switch self {
        case .inputMissing(let p): return "cannot open '\(p)': No such file or directory"
        case .outputExists(let p): return "'\(p)' already exists (use -y to overwrite)"
        case .outputIsInput(let p): return "output '\(p)' is the input file; choose another output name"
        case .outputFolderMissing(let p): return "output folder '\(p)' does not exist"
        case .unsupportedScale(let m, let s, let a):
            return "model '\(m)' has no x\(s) variant (available: \(a.map { "x\($0)" }.joined(separator: ", ")))"
        case .invalidOption(let m): return m
        case .interrupted: return "interrupted; no output written"
        case .interruptedKeepingFrames(let f): return "interrupted; the finished frames are kept in '\(f)' (run the command again to continue)"
        case .auditFailed(let m): return "audit failed: \(m); output removed"
        case .workFolder(let p, let r):
            return "cannot write the work folder '\(p)': \(r) (free space, or use --no-resume for a single pass)"
        case .resumeMismatch(let o, let f, let w):
            return "'\(o)': the unfinished run in '\(f)' cannot be resumed: \(w); use --restart to start over"
        case .outputBusy(let o, let pid):
            return "'\(o)' is being made by another upscale run" + (pid.map { " (pid \($0))" } ?? "") + "; wait for it or stop it"
        case .segmentsKept(let cause, _, let f, let d, let t):
            return "\(cause); \(d) of \(t) segments are kept in '\(f)': run the same command again to resume"
        }
    }

    /// Process exit code: 1 for usage and input errors, 2 for processing errors, 130 when interrupted.
    public var exitCode: Int32 {
        switch self {
        case .interrupted, .interruptedKeepingFrames: return 130
        case .auditFailed, .workFolder: return 2
        case .segmentsKept(_, let code, _, _, _): return code
        default: return 1
        }
    }
}
