import Foundation
import SRTensor

/// How progress is shown.
public enum ProgressMode: String, Sendable, CaseIterable {
    /// One updating line on a terminal, plain lines every few seconds otherwise.
    case auto
    /// Plain lines every few seconds.
    case plain
    /// JSON lines on stderr: `{"frame":12,"total":50,"percent":24.0,"fps":1.31,"elapsed_s":9.2,"eta_s":29.1}`.
    case json
    /// Nothing.
    case none
}

/// Writes progress to stderr: frames done / total, percent, fps, elapsed time and ETA (`?` when
/// the total is unknown). Thread-safe: workers may report at once (one line at a time is written).
public final class ProgressReporter: @unchecked Sendable {
    private let mode: ProgressMode
    private let terminal: Bool
    private let total: Int?
    /// Frames a resumed run found finished (counted in `done`, not in the speed).
    private let resumed: Int
    private let start = Date()
    private let sink: (String) -> Void
    /// More `--progress json` fields, read at each report (e.g. temporal reuse counts).
    private let fields: @Sendable () -> [String]
    /// When the last line was printed, and whether an updating line is open (one print at a time).
    private let state = Locked((lastPrint: Date.distantPast, printedLine: false))

    /// Creates a reporter; `sink` receives text exactly as it should be written (default: stderr).
    /// `resumed`: frames finished by an earlier run (included in every `done` reported).
    public init(mode: ProgressMode, total: Int?, resumed: Int = 0, terminal: Bool = isatty(2) != 0,
                sink: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                fields: @escaping @Sendable () -> [String] = { [] }) {
        self.fields = fields
        self.mode = mode; self.total = total.flatMap { $0 > 0 ? $0 : nil }; self.terminal = terminal; self.sink = sink
        self.resumed = resumed
    }

    /// Whether an updating progress line is on the terminal now (one terminal per process).
    private static let lineOpen = Locked(false)

    /// Ends an updating progress line left open (a run that failed), so that the next message
    /// starts on a line of its own. Call before printing an error or a note.
    public static func endLine() {
        if lineOpen.withLock({ o in defer { o = false }; return o }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Reports `done` frames; prints when enough time has passed since the last report.
    public func update(done: Int, force: Bool = false) {
        state.withLock { st in
            let now = Date()
            let interval: Double = mode == .json ? 1 : (mode == .auto && terminal ? 0.25 : 5)
            guard mode != .none, force || now.timeIntervalSince(st.lastPrint) >= interval else { return }
            st.lastPrint = now
            let elapsed = now.timeIntervalSince(start)
            let fps = elapsed > 0 ? Double(max(0, done - resumed)) / elapsed : 0
            let eta: Double? = total.flatMap { t in fps > 0 ? Double(max(t - done, 0)) / fps : nil }
            let percent: Double? = total.map { 100 * Double(done) / Double($0) }
            switch mode {
            case .json:
                var fields = ["\"frame\":\(done)", "\"total\":\(total.map(String.init) ?? "null")"]
                fields.append("\"percent\":\(percent.map { String(format: "%.1f", $0) } ?? "null")")
                fields.append(String(format: "\"fps\":%.3f", fps))
                fields.append(String(format: "\"elapsed_s\":%.1f", elapsed))
                fields.append("\"eta_s\":\(eta.map { String(format: "%.1f", $0) } ?? "null")")
                fields.append("\"resumed_frames\":\(resumed)")
                fields += self.fields()
                sink("{" + fields.joined(separator: ",") + "}\n")
            case .auto where terminal:
                sink("\r\u{1B}[K" + line(done: done, percent: percent, fps: fps, elapsed: elapsed, eta: eta))
                st.printedLine = true
                ProgressReporter.lineOpen.withLock { $0 = true }
            default:
                sink(line(done: done, percent: percent, fps: fps, elapsed: elapsed, eta: eta) + "\n")
            }
        }
    }

    /// Prints the final state and ends the updating line.
    public func finish(done: Int) {
        update(done: done, force: true)
        if state.withLock({ st in defer { st.printedLine = false }; return st.printedLine }) {
            sink("\n")
            ProgressReporter.lineOpen.withLock { $0 = false }
        }
    }

    /// `frame 12/50  24.0%  1.31 fps  elapsed 0:09  ETA 0:29` (`resumed 8/50  frame 12/50 ...` after a resume)
    func line(done: Int, percent: Double?, fps: Double, elapsed: Double, eta: Double?) -> String {
        let totalText = total.map(String.init) ?? "?"
        let pct = percent.map { String(format: "%5.1f%%", $0) } ?? "    ?%"
        return (resumed > 0 ? "resumed \(resumed)/\(totalText)  " : "") + "frame \(done)/\(totalText)  \(pct)  \(String(format: "%.2f", fps)) fps  elapsed \(ProgressReporter.clock(elapsed))"
            + "  ETA \(eta.map(ProgressReporter.clock) ?? "?")"
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// A flag a signal handler sets and the pipeline polls: the run stops at the next frame.
/// Thread safety: any thread.
public final class CancelFlag: Sendable {
    private let flag = Locked(false)
    /// Creates a cleared flag.
    public init() {}
    /// Asks the run to stop.
    public func cancel() { flag.withLock { $0 = true } }
    /// True once cancelled.
    public var isCancelled: Bool { flag.current }
}
