import ArgumentParser
import Foundation

/// `upscale presets list|show`.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List and show the TOML presets that --preset applies.",
        discussion: """
            A preset is a TOML file of 'flag = value' lines; every key is a command-line flag of
            the same name (crf = 16, model = "realesr-animevideov3", faststart = true). Flags on the
            command line override it. Presets are found as a path, then in
            $XDG_CONFIG_HOME/upscale/presets (default ~/.config/upscale/presets), then shipped.
            Examples:
              upscale presets list
              upscale presets show anime
              upscale presets keys
            """,
        subcommands: [List.self, Show.self, Keys.self])

    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "Every key a preset may set (each is the flag of the same name).",
            discussion: "Example:\n  upscale presets keys")

        func run() throws {
            for key in Preset.schema.keys.sorted() { print(key) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every preset with its summary and file.",
            discussion: "Example:\n  upscale presets list")

        func run() throws {
            let all = PresetStore.all()
            guard !all.isEmpty else { throw CLIFailure(message: "no presets found (shipped ones are in presets/ of the source)") }
            let width = all.map(\.name.count).max() ?? 0
            for p in all {
                let summary = (try? Preset(path: p.path).summary) ?? "(invalid: see 'upscale presets show \(p.name)')"
                print(p.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary
                      + (p.user ? "  [\(p.path)]" : ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a preset's file (after checking it).",
            discussion: "Example:\n  upscale presets show web-1080p")

        @Argument(help: ArgumentHelp("Preset name or path.", valueName: "name"))
        var name: String

        func run() throws {
            let path = try PresetStore.locate(name)
            _ = try Preset(path: path)
            print("# \(path)")
            print(try String(contentsOfFile: path, encoding: .utf8), terminator: "")
        }
    }
}
