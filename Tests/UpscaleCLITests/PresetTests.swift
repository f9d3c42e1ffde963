import Foundation
import XCTest

/// Presets: the shipped ones, lookup order, overrides, and one clear line for every kind of bad preset.
final class PresetTests: XCTestCase {
    let clip = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/h264-aac.mp4").path
    let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path

    func testShippedPresetsAreListedAndValid() throws {
        let list = try CLIRunner.run(["presets", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        for name in ["anime", "film", "fast", "archive", "web-1080p"] {
            XCTAssertTrue(list.stdout.contains(name), "presets list lacks \(name)")
            let show = try CLIRunner.run(["presets", "show", name])
            XCTAssertEqual(show.status, 0, show.stderr)
        }
        let anime = try CLIRunner.run(["presets", "show", "anime"])
        XCTAssertTrue(anime.stdout.contains("crf = 16"))
        XCTAssertTrue(anime.stdout.contains("realesr-animevideov3"))
    }

    /// Each malformed preset: exit 1, one line naming file, line and key, and no output.
    func testBadPresetsSayWhereAndRunNothing() throws {
        let dir = try CLIRunner.tempDir()
        let cases: [(String, String)] = [
            ("model = \"lanczos\"\ncrff = 18\n", "bad.toml:2: unknown key 'crff' (did you mean 'crf'?)"),
            ("crf = \"high\"\n", "bad.toml:1: 'crf' must be an integer from 0 to 63 (got \"high\")"),
            ("scale = 2\ncrf = 99\n", "bad.toml:2: 'crf' must be an integer from 0 to 63 (got 99)"),
            ("faststart = \"yes\"\n", "bad.toml:1: 'faststart' must be true or false"),
            ("progress = \"loud\"\n", "bad.toml:1: 'progress' must be one of auto, plain, json, none"),
            ("max-memory = \"lots\"\n", "bad.toml:1: 'max-memory' must be a size"),
            ("crf = 18\nmodel = [\n", "bad.toml:2:"),
        ]
        for (text, expected) in cases {
            let preset = dir.appendingPathComponent("bad.toml").path
            try text.write(toFile: preset, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("out.mp4").path
            let r = try CLIRunner.run(["--preset", preset, clip, "-o", out, "--model", "lanczos"])
            XCTAssertEqual(r.status, 1, text)
            XCTAssertTrue(r.stderr.contains(expected), "\(text): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
        let unknown = try CLIRunner.run(["image", photo, "-o", dir.appendingPathComponent("x.png").path, "--preset", "anim"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown preset 'anim' (did you mean anime?)"), unknown.stderr)
    }

    /// Flags on the command line beat the preset; a user preset in XDG_CONFIG_HOME is found by name.
    func testFlagsOverrideAndUserPresetsAreFound() throws {
        let dir = try CLIRunner.tempDir()
        let config = dir.appendingPathComponent("config/upscale/presets")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "# mine\nmodel = \"bicubic\"\nscale = 3\n".write(to: config.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
        let out = dir.appendingPathComponent("a.png").path
        let r = try CLIRunner.run(["image", photo, "-o", out, "--preset", "mine"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("288x192 with bicubic"), r.stderr)
        // A flag replaces the preset's value, and a size flag replaces the preset's whole size.
        let out2 = dir.appendingPathComponent("b.png").path
        let r2 = try CLIRunner.run(["image", photo, "-o", out2, "--preset", "mine", "--model", "lanczos", "--height", "100"],
                                   environment: env)
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertTrue(r2.stderr.contains("x100 with lanczos"), r2.stderr)
        let list = try CLIRunner.run(["presets", "list"], environment: env)
        XCTAssertTrue(list.stdout.contains("mine") && list.stdout.contains("anime"), list.stdout)
    }

    /// `upscale batch` over the fixture clips with --preset anime: every output, a summary, exit 2
    /// when one input is corrupt (named in the summary).
    func testBatchWithPresetAndOneCorruptInput() throws {
        let dir = try CLIRunner.tempDir()
        let clips = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips")
        for name in ["h264-aac.mp4", "vfr.mkv"] {
            try FileManager.default.copyItem(at: clips.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try Data(repeating: 7, count: 4000).write(to: dir.appendingPathComponent("bad.mp4"))
        let out = dir.appendingPathComponent("out").path
        let report = dir.appendingPathComponent("report.json").path
        let r = try CLIRunner.run(["batch", "--preset", "anime", "--model", "lanczos", "--encoder-preset", "ultrafast",
                                   "-o", out, "--report", report, dir.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stdout.contains("bad.mp4") && r.stdout.contains("failed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("2 done, 0 skipped, 1 failed"), r.stdout)
        for name in ["h264-aac_x2.mp4", "vfr_x2.mkv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: report))
        let again = try CLIRunner.run(["batch", "--preset", "anime", "--model", "lanczos", "-o", out, dir.path])
        XCTAssertTrue(again.stdout.contains("0 done, 2 skipped, 1 failed"), again.stdout)
    }

    /// Every key a preset may set is a real flag of some command, documented in the man page.
    func testEveryPresetKeyIsAFlag() throws {
        let keys = try CLIRunner.run(["presets", "keys"])
        XCTAssertEqual(keys.status, 0)
        let list = keys.stdout.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(list.count, 20)
        var flags = Set<String>()
        for command in ["video", "image", "frames", "batch"] {
            let help = try CLIRunner.run([command, "--help"]).stdout
            var rest = Substring(help)
            while let r = rest.range(of: "--") {
                flags.insert(String(rest[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }))
                rest = rest[r.upperBound...]
            }
        }
        let man = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("man/upscale.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let presets = String(man[try XCTUnwrap(man.range(of: ".SH PRESETS")).upperBound...])
        for key in list {
            XCTAssertTrue(flags.contains(key), "preset key '\(key)' is no command's flag")
            XCTAssertTrue(presets.contains(key), "preset key '\(key)' is not in the man page's PRESETS")
        }
    }

    /// Malformed table headers that abort TOMLKit's parser are one line naming the file and line,
    /// wherever a TOML file is read (issue 22, case 1).
    func testMalformedTableHeadersAreOneLineNotACrash() throws {
        let dir = try CLIRunner.tempDir()
        let presets = dir.appendingPathComponent("config/upscale/presets")
        try FileManager.default.createDirectory(at: presets, withIntermediateDirectories: true)
        for (name, text) in [("dot", "[.]\n"), ("brackets", "# x\nmodel = \"lanczos\"\n[[[\n"), ("space", "[ .a]\n")] {
            let path = presets.appendingPathComponent(name + ".toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let line = text.hasPrefix("#") ? 3 : 1
            for args in [["presets", "show", path], ["image", photo, "-o", dir.appendingPathComponent("o.png").path, "--preset", path],
                         ["train", path, "--check"]] {
                let r = try CLIRunner.run(args)
                XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.contains("\(name).toml:\(line): a table header must start with a key name"), r.stderr)
            }
        }
        let list = try CLIRunner.run(["presets", "list"], environment: ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("dot") && list.stdout.contains("invalid"), list.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.png").path))
    }
}
