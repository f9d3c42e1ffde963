import Foundation
import SRMedia

/// Checks made before any work starts, so that a bad invocation fails fast and touches nothing.
public enum OutputGuard {
    /// Input exists, output is not the input, output folder exists, output absent unless `overwrite`.
    /// Temporary files of the output left by dead runs are removed (`AtomicFile.removeStale`).
    public static func check(input: String, output: String, overwrite: Bool) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: input, isDirectory: &isDir) else { throw PipelineError.inputMissing(input) }
        let inURL = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
        let outURL = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
        if inURL.path == outURL.path { throw PipelineError.outputIsInput(output) }
        let folder = outURL.deletingLastPathComponent().path
        var folderIsDir: ObjCBool = false
        if !fm.fileExists(atPath: folder, isDirectory: &folderIsDir) || !folderIsDir.boolValue {
            throw PipelineError.outputFolderMissing(folder)
        }
        var outIsDir: ObjCBool = false
        if fm.fileExists(atPath: output, isDirectory: &outIsDir), outIsDir.boolValue {
            let ext = (input as NSString).pathExtension
            throw PipelineError.invalidOption("'\(output)' is a folder: give the output a file name, e.g. "
                                              + (output as NSString).appendingPathComponent("NAME." + (ext.isEmpty ? "png" : ext)))
        }
        AtomicFile.removeStale(for: output)
        if fm.fileExists(atPath: output) && !overwrite { throw PipelineError.outputExists(output) }
    }
}
