import Foundation
import SRMedia

/// Turns batch arguments (files, folders, glob patterns) into the list of media files to process.
public enum BatchInputs {
    /// Extensions treated as video in folders (images use `FrameFolder.extensions`).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mkv", "mov", "webm", "avi", "ts", "mts", "m2ts",
                                                      "flv", "wmv", "mpg", "mpeg", "3gp", "ogv"]

    /// Files named by `arguments`, in order, without duplicates. A folder gives its media files
    /// (natural order; with `recursive`, those of every subfolder too); a pattern with `*`, `?` or
    /// `[` is expanded by glob(3). Throws on an argument that matches nothing.
    public static func expand(_ arguments: [String], recursive: Bool) throws -> [String] {
        var out: [String] = [], seen = Set<String>()
        func add(_ p: String) {
            let key = URL(fileURLWithPath: p).standardizedFileURL.path
            if seen.insert(key).inserted { out.append(p) }
        }
        for arg in arguments {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) {
                if isDir.boolValue { try folder(arg, recursive: recursive).forEach(add) } else { add(arg) }
                continue
            }
            guard arg.contains(where: { "*?[".contains($0) }) else { throw PipelineError.inputMissing(arg) }
            let matches = glob(arg)
            if matches.isEmpty { throw PipelineError.invalidOption("'\(arg)' matches no file") }
            for m in matches {
                var d: ObjCBool = false
                if FileManager.default.fileExists(atPath: m, isDirectory: &d), d.boolValue {
                    try folder(m, recursive: recursive).forEach(add)
                } else {
                    add(m)
                }
            }
        }
        return out
    }

    /// True for a path whose extension is a known image or video type.
    public static func isMedia(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return FrameFolder.extensions.contains(ext) || videoExtensions.contains(ext)
    }

    private static func folder(_ dir: String, recursive: Bool) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted(by: NaturalOrder.less)
        var out: [String] = []
        for n in names {
            let p = (dir as NSString).appendingPathComponent(n)
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: p, isDirectory: &isDir)
            if isDir.boolValue {
                if recursive { out += try folder(p, recursive: true) }
            } else if isMedia(p) {
                out.append(p)
            }
        }
        return out
    }

    private static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted(by: NaturalOrder.less)
    }
}

/// Output names from a template: `{stem}`, `{ext}`, `{scale}`, `{model}`, `{name}`.
public struct OutputNamer: Sendable {
    /// The template, e.g. `{stem}_x{scale}.{ext}`.
    public let template: String
    /// Placeholders the template may use.
    public static let placeholders = ["stem", "ext", "scale", "model", "name"]

    /// Checks the template: known placeholders only, and `{stem}` or `{name}` so names differ.
    public init(template: String) throws {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PipelineError.invalidOption("--name: '{' without '}' in '\(template)'")
            }
            let key = String(rest[rest.index(after: open)..<close])
            guard OutputNamer.placeholders.contains(key) else {
                throw PipelineError.invalidOption("--name: unknown placeholder {\(key)} (use {stem}, {ext}, {scale}, {model}, {name})")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard template.contains("{stem}") || template.contains("{name}") else {
            throw PipelineError.invalidOption("--name must contain {stem} or {name}, or every output gets the same name")
        }
        self.template = template
    }

    /// The output file name for `input`; `scale` is the factor text (`2`, or `1080p` for a height).
    public func name(for input: String, scale: String, model: String) -> String {
        let file = (input as NSString).lastPathComponent
        let values = ["stem": (file as NSString).deletingPathExtension, "ext": (file as NSString).pathExtension,
                      "scale": scale, "model": model, "name": file]
        var out = template
        for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        return out
    }
}
