import Foundation
import SRPipeline

/// Finds presets: a path first, then `$XDG_CONFIG_HOME/upscale/presets/NAME.toml` (default
/// `~/.config`), then the shipped ones (`$UPSCALE_PRESETS`, `PREFIX/share/upscale/presets` next to
/// the installed binary, or `presets/` of the source tree the binary was built in).
enum PresetStore {
    /// The user's preset folder.
    static var userFolder: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/upscale/presets"
    }

    /// Folders that may hold the shipped presets, most specific first.
    static var shippedFolders: [String] {
        var out: [String] = []
        if let env = ProcessInfo.processInfo.environment["UPSCALE_PRESETS"], !env.isEmpty { out.append(env) }
        // The running binary (argv[0] may be a bare name found on PATH).
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let exe = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
        out.append(exe.appendingPathComponent("../share/upscale/presets").standardized.path)
        var dir = exe
        for _ in 0..<5 {  // .build/<triple>/release/upscale -> the package root
            out.append(dir.appendingPathComponent("presets").path)
            dir = dir.deletingLastPathComponent()
        }
        return out
    }

    /// The file for `nameOrPath`, or a one-line error listing what exists.
    static func locate(_ nameOrPath: String) throws -> String {
        let fm = FileManager.default
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            guard fm.fileExists(atPath: nameOrPath) else { throw CLIFailure(message: "preset file '\(nameOrPath)' does not exist") }
            return nameOrPath
        }
        for folder in [userFolder] + shippedFolders {
            let p = folder + "/" + nameOrPath + ".toml"
            if fm.fileExists(atPath: p) { return p }
        }
        let names = all().map(\.name)
        let near = names.filter { ModelsJob.editDistance($0, nameOrPath) <= 2 }
        throw CLIFailure(message: "unknown preset '\(nameOrPath)'"
                         + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)")
                         + (names.isEmpty ? "" : "; available: \(names.joined(separator: ", "))"))
    }

    /// Every preset by name: the user's shadow shipped ones of the same name.
    static func all() -> [(name: String, path: String, user: Bool)] {
        var seen = Set<String>(), out: [(String, String, Bool)] = []
        let shipped = shippedFolders.first { FileManager.default.fileExists(atPath: $0 + "/anime.toml") }
        for (folder, user) in [(userFolder, true)] + (shipped.map { [($0, false)] } ?? []) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for n in names.sorted() where n.hasSuffix(".toml") {
                let name = String(n.dropLast(5))
                if seen.insert(name).inserted { out.append((name, folder + "/" + n, user)) }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
