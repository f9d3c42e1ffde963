import Foundation
import SRMedia

/// Test hooks for the crash and disk-full tests of resumable runs (never set in normal use).
///
/// `UPSCALE_TEST_FAULT=kill:POINT` kills the process with SIGKILL when it reaches POINT,
/// `UPSCALE_TEST_FAULT=enospc:POINT` fails the write there as a full disk does, and
/// `UPSCALE_TEST_FAULT=pause:POINT` waits there for 60 s (a cluster test requeues the task). Points:
/// `segment:N:F` (after frame F of segment N is encoded), `done:N` (segment N recorded in the
/// manifest), `join:P` (after packet P of the join is written).
enum FaultPoint {
    private static let spec = ProcessInfo.processInfo.environment["UPSCALE_TEST_FAULT"]

    /// Acts on the fault set for `point`, if any; `path` names the file a simulated full disk fails.
    static func reach(_ point: @autoclosure () -> String, path: String) throws {
        guard let spec else { return }
        let p = point()
        if spec == "kill:" + p { kill(getpid(), SIGKILL) }
        if spec == "pause:" + p { Thread.sleep(forTimeInterval: 60) }
        if spec == "enospc:" + p { throw MediaError.writeFailed(path: path, reason: String(cString: strerror(ENOSPC))) }
    }
}
