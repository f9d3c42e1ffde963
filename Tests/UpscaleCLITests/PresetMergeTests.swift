import Foundation
import XCTest

/// How a preset merges with the command line, seen through `UPSCALE_PRINT_CONFIG=1` (each job
/// command prints the typed configuration it would run, and its table of preset keys).
final class PresetMergeTests: XCTestCase {
    let clip = CLIRunner.packageRoot.appendingPathComponent("fixtures/clips/h264-aac.mp4").path
    let photo = CLIRunner.packageRoot.appendingPathComponent("fixtures/photo-96x64.png").path

    /// A value for every key a preset may set, none of them a default.
    static let everyKey = """
        model = "bicubic"
        scale = 3
        width = 640
        height = 360
        codec = "libx265"
        crf = 17
        encoder-preset = "veryslow"
        pix-fmt = "yuv444p"
        encoder-opt = ["tune=grain"]
        faststart = true
        tile = 77
        overlap = 13
        tile-pad = 11
        max-memory = "128M"
        threads = 3
        workers = 5
        winograd = "off"
        kernels = "generic"
        progress = "json"
        strict = true
        frames-in-flight = 7
        format = "webp"
        fps = 12.5
        jobs = 6
        name = "{stem}-zz.{ext}"
        recursive = true
        quiet = true
        reuse = "exact"
        reuse-threshold = 12

        """

    /// What the printed configuration shows when a key of `everyKey` reached it (any one of these).
    static let shows: [String: [String]] = [
        "model": ["model: Optional(\"bicubic\")"], "scale": ["scale: Optional(3)"],
        "width": ["width: Optional(640)"], "height": ["height: Optional(360)"],
        "codec": ["codec: \"libx265\""], "crf": ["crf: Optional(17)"], "encoder-preset": ["preset: Optional(\"veryslow\")"],
        "pix-fmt": ["pixelFormat: Optional(\"yuv444p\")"], "encoder-opt": ["(key: \"tune\", value: \"grain\")"],
        "faststart": ["faststart: true"], "tile": ["tile: Optional(77)"], "overlap": ["overlap: 13"],
        "tile-pad": ["pad: Optional(11)"], "max-memory": ["maxMemory: 134217728"], "threads": ["threads: Optional(3)"],
        "workers": ["workers: Optional(5)"], "winograd": ["winograd: false"], "kernels": ["kernels: generic"],
        "progress": ["ProgressMode.json"], "strict": ["strict: true"], "frames-in-flight": ["framesInFlight: 7"],
        "format": ["format: Optional(\"webp\")", "format: \"webp\""], "fps": ["fps: 12.5"],
        "jobs": ["jobs: Optional(6)", "jobs: 6"], "name": ["name: \"{stem}-zz.{ext}\""],
        "recursive": ["deep.png\""], "quiet": ["quiet: true"],
        "reuse": ["ReuseMode.exact"], "reuse-threshold": ["max 12.0, mean 1.2"],
    ]

    /// Runs `args` with `UPSCALE_PRINT_CONFIG=1`; returns the table of keys and the printed text.
    func resolved(_ args: [String]) throws -> (keys: Set<String>, text: String) {
        let r = try CLIRunner.run(args, environment: ["UPSCALE_PRINT_CONFIG": "1"])
        XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("preset keys: ") }, r.stdout)
        return (Set(line.dropFirst("preset keys: ".count).split(separator: " ").map(String.init)), r.stdout)
    }

    /// For each job command: its table of keys is exactly the preset keys it has flags for, every
    /// key of its table reaches its configuration, and no other key does.
    func testEveryKeyOfEachCommandsTableReachesItsConfiguration() throws {
        let dir = try CLIRunner.tempDir()
        let all = dir.appendingPathComponent("all.toml").path
        try PresetMergeTests.everyKey.write(toFile: all, atomically: true, encoding: .utf8)
        let loud = dir.appendingPathComponent("loud.toml").path  // progress is none when quiet
        try PresetMergeTests.everyKey.replacingOccurrences(of: "quiet = true\n", with: "")
            .write(toFile: loud, atomically: true, encoding: .utf8)
        let media = dir.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: media.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: photo, toPath: media.appendingPathComponent("top.png").path)
        try FileManager.default.copyItem(atPath: photo, toPath: media.appendingPathComponent("sub/deep.png").path)
        let out = dir.appendingPathComponent("o").path
        let runs: [String: [[String]]] = [
            "video": [[clip, "-o", out + ".mp4"], [clip, "-o", out + "/"], [media.path + "/", "-o", out + ".mp4"],
                      [photo, "-o", out + ".png"]],
            "image": [[photo, "-o", out + ".png"]],
            "frames": [[media.path, "-o", out + "/"], [media.path, "-o", out + ".mkv"]],
            "batch": [[media.path, "-o", out]],
        ]
        let keys = Set(try CLIRunner.run(["presets", "keys"]).stdout.split(separator: "\n").map(String.init))
        XCTAssertEqual(Set(PresetMergeTests.shows.keys), keys, "every preset key needs an entry in `shows`")
        for (command, argSets) in runs.sorted(by: { $0.key < $1.key }) {
            let flags = HelpText.longFlags(inHelp: try HelpText.help([command]))
            var table: Set<String>?, text = ""
            for args in argSets {
                for preset in [all, loud] {
                    let r = try resolved([command] + args + ["--preset", preset])
                    XCTAssertEqual(table ?? r.keys, r.keys, command)
                    table = r.keys
                    text += r.text
                }
            }
            let taken = try XCTUnwrap(table)
            XCTAssertEqual(taken, keys.intersection(flags), "\(command): its preset keys are not the preset keys it has flags for")
            for key in keys.sorted() {
                let reached = PresetMergeTests.shows[key, default: []].contains { text.contains($0) }
                XCTAssertEqual(reached, taken.contains(key),
                               "\(command): '\(key)' \(reached ? "reached the configuration but is not in its table" : "did not reach the configuration")\n\(text)")
            }
        }
    }

    /// The command line's value wins, then the preset's, then the default; a size on the command
    /// line replaces the preset's whole size; a flag is on when either turns it on.
    func testCommandLineThenPresetThenDefault() throws {
        let dir = try CLIRunner.tempDir()
        let p = dir.appendingPathComponent("p.toml").path
        try "scale = 3\nwidth = 640\ncrf = 30\nfaststart = false\nstrict = true\noverlap = 4\nencoder-opt = [\"tune=grain\", \"preset=slow\"]\n"
            .write(toFile: p, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.mp4").path
        let none = try resolved([clip, "-o", out]).text
        for s in ["scale: nil", "crf: nil", "overlap: 8", "pad: nil", "maxMemory: 2147483648", "winograd: true",
                  "ProgressMode.auto", "framesInFlight: 3", "faststart: false", "strict: false", "options: []"] {
            XCTAssertTrue(none.contains(s), "default \(s): \(none)")
        }
        let preset = try resolved([clip, "-o", out, "--preset", p]).text
        for s in ["scale: Optional(3)", "width: Optional(640)", "crf: Optional(30)", "overlap: 4", "faststart: false", "strict: true",
                  "[(key: \"tune\", value: \"grain\"), (key: \"preset\", value: \"slow\")]"] {
            XCTAssertTrue(preset.contains(s), "preset \(s): \(preset)")
        }
        let flags = try resolved([clip, "-o", out, "--preset", p, "--crf", "20", "--height", "100", "--faststart",
                                  "--overlap", "0", "--encoder-opt", "tune=film"]).text
        for s in ["scale: nil", "width: nil", "height: Optional(100)", "crf: Optional(20)", "overlap: 0", "faststart: true",
                  "strict: true", "[(key: \"preset\", value: \"slow\"), (key: \"tune\", value: \"film\")]"] {
            XCTAssertTrue(flags.contains(s), "command line \(s): \(flags)")
        }
        let batch = try resolved(["batch", clip, "--preset", p, "--jobs", "2", "--name", "{stem}.{ext}"]).text
        XCTAssertTrue(batch.contains("jobs: 2") && batch.contains("name: \"{stem}.{ext}\""), batch)
        let frames = try resolved(["frames", dir.path, "-o", out, "--preset", p, "--fps", "24"]).text
        XCTAssertTrue(frames.contains("fps: 24.0") && frames.contains("jobs: nil"), frames)
    }
}
