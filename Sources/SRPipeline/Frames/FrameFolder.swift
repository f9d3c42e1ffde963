import Foundation
import SRMedia

/// The images of one folder, in natural order.
public enum FrameFolder {
    /// Extensions read as frames (any case).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp"]

    /// Paths of the images directly inside `dir` (hidden and temporary files skipped), naturally sorted.
    public static func list(_ dir: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else {
            throw PipelineError.invalidOption("'\(dir)': no such folder")
        }
        guard isDir.boolValue else { throw PipelineError.invalidOption("'\(dir)' is not a folder") }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        return names.filter { name in
            !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
        }
        .sorted(by: NaturalOrder.less)
        .map { (dir as NSString).appendingPathComponent($0) }
    }

    /// True when `path` names a folder (an existing one, or any path ending in `/`).
    public static func isFolderPath(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue)
    }

    /// Creates `dir` (and its parents) when missing.
    static func make(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.invalidOption("cannot create the folder '\(dir)': \(error.localizedDescription)")
        }
    }
}
