import Foundation
import SRMedia

/// Which input a folder of upscaled frames belongs to: `.upscale-frames.json` in the folder.
///
/// A re-run with the same input and settings resumes (frames that exist are skipped); another
/// input or other settings are refused before anything is written, so a folder never ends up
/// holding two videos' frames. With `-y` the folder is taken over: `stale` (the numbered frames a
/// video left) are removed first. A folder with images but no record (written by something
/// else) is refused too unless `-y`.
struct FrameFolderOwner: Codable, Equatable {
    /// The input's absolute path, size and modification time.
    var input: String, inputBytes: Int64, inputModified: Double
    /// What shapes the frames: model, size and image format.
    var settings: String

    static let fileName = ".upscale-frames.json"

    /// The record for `input` with `settings`.
    init(input: String, settings: String) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: input)
        self.input = URL(fileURLWithPath: input).standardizedFileURL.path
        inputBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        inputModified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        self.settings = settings
    }

    /// Claims `folder` for this record (see the type's rules); `images`: those already there.
    func claim(_ folder: String, images: [String], stale: [String], overwrite: Bool) throws {
        let path = (folder as NSString).appendingPathComponent(FrameFolderOwner.fileName)
        let earlier = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(FrameFolderOwner.self, from: $0) }
        if let earlier, earlier != self {
            guard overwrite else {
                let what = earlier.input != input || earlier.inputBytes != inputBytes || earlier.inputModified != inputModified
                    ? "the frames of '\(earlier.input)'" : "frames made with other settings (\(earlier.settings))"
                throw PipelineError.invalidOption("'\(folder)' holds \(what): use another folder, or -y to replace them")
            }
            for image in stale { try? FileManager.default.removeItem(atPath: image) }
        } else if earlier == nil, !images.isEmpty, !overwrite {
            throw PipelineError.invalidOption("'\(folder)' already holds \(images.count) images that upscale did not write "
                                              + "for this input: use another folder, or -y to write over them")
        }
        let data = try JSONEncoder().encode(self)
        try AtomicFile.write(data, to: path)
    }
}
