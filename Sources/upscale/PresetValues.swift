/// A key a preset may set: the long name of the flag it stands for.
enum PresetKey: String, CaseIterable, Comparable, Sendable {
    case model, scale, width, height
    case codec, crf, encoderPreset = "encoder-preset", pixFmt = "pix-fmt", encoderOpt = "encoder-opt", faststart
    case tile, overlap, tilePad = "tile-pad", maxMemory = "max-memory", threads, workers, winograd, kernels
    case progress, strict, framesInFlight = "frames-in-flight", format, fps, jobs, name, recursive, quiet
    case reuse, reuseThreshold = "reuse-threshold"

    /// The keys that make up an output size: one of them on the command line replaces all three.
    static let size: Set<PresetKey> = [.scale, .width, .height]

    /// What the key's value must be.
    var kind: Preset.Kind {
        switch self {
        case .model, .codec, .encoderPreset, .pixFmt, .name: .string
        case .scale: .integer(1...16)
        case .width, .height: .integer(1...16384)
        case .crf: .integer(0...63)
        case .encoderOpt: .list
        case .faststart, .strict, .recursive, .quiet: .flag
        case .tile: .integer(0...16384)
        case .overlap: .integer(0...1024)
        case .tilePad: .tilePad
        case .maxMemory: .size
        case .threads, .workers: .integer(1...1024)
        case .winograd: .choice(["on", "off"])
        case .kernels: .choice(["auto", "generic", "avx2", "avx2-w16", "avx512"])
        case .progress: .choice(["auto", "plain", "json", "none"])
        case .framesInFlight: .integer(1...64)
        case .format: .choice(["png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp"])
        case .fps: .number(0.001...1000)
        case .jobs: .integer(1...256)
        case .reuse: .choice(["off", "exact", "auto"])
        case .reuseThreshold: .number(0...255)
        }
    }

    /// Orders keys by name (for listings).
    static func < (a: PresetKey, b: PresetKey) -> Bool { a.rawValue < b.rawValue }
}

/// One checked preset value.
enum PresetValue: Equatable, Sendable {
    case text(String), integer(Int), number(Double), flag(Bool), list([String])
}

/// The typed values a preset sets; nil for a key it does not set (or that the running
/// subcommand does not take, see `restricted(to:)`).
struct PresetValues: Equatable, Sendable {
    private var storage: [PresetKey: PresetValue] = [:]

    /// No values.
    init() {}

    /// The value of one key.
    subscript(key: PresetKey) -> PresetValue? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    /// The keys that have a value.
    var keys: Set<PresetKey> { Set(storage.keys) }

    /// Only the values of `keys` (a subcommand's table); with `dropSize`, none of the size keys
    /// (a size on the command line replaces the preset's whole size).
    func restricted(to keys: Set<PresetKey>, dropSize: Bool = false) -> PresetValues {
        var out = PresetValues()
        for (k, v) in storage where keys.contains(k) && !(dropSize && PresetKey.size.contains(k)) { out[k] = v }
        return out
    }

    private func text(_ k: PresetKey) -> String? { if case .text(let s)? = storage[k] { s } else { nil } }
    private func integer(_ k: PresetKey) -> Int? { if case .integer(let n)? = storage[k] { n } else { nil } }
    private func flag(_ k: PresetKey) -> Bool? { if case .flag(let b)? = storage[k] { b } else { nil } }

    /// The `model` value.
    var model: String? { text(.model) }
    /// The `scale` value.
    var scale: Int? { integer(.scale) }
    /// The `width` value.
    var width: Int? { integer(.width) }
    /// The `height` value.
    var height: Int? { integer(.height) }
    /// The `codec` value.
    var codec: String? { text(.codec) }
    /// The `crf` value.
    var crf: Int? { integer(.crf) }
    /// The `encoder-preset` value.
    var encoderPreset: String? { text(.encoderPreset) }
    /// The `pix-fmt` value.
    var pixFmt: String? { text(.pixFmt) }
    /// The `encoder-opt` value.
    var encoderOpt: [String]? { if case .list(let l)? = storage[.encoderOpt] { l } else { nil } }
    /// The `faststart` value.
    var faststart: Bool? { flag(.faststart) }
    /// The `tile` value.
    var tile: Int? { integer(.tile) }
    /// The `overlap` value.
    var overlap: Int? { integer(.overlap) }
    /// The `tile-pad` value.
    var tilePad: String? { text(.tilePad) }
    /// The `max-memory` value.
    var maxMemory: String? { text(.maxMemory) }
    /// The `threads` value.
    var threads: Int? { integer(.threads) }
    /// The `workers` value.
    var workers: Int? { integer(.workers) }
    /// The `winograd` value.
    var winograd: String? { text(.winograd) }
    /// The `kernels` value.
    var kernels: String? { text(.kernels) }
    /// The `progress` value.
    var progress: String? { text(.progress) }
    /// The `strict` value.
    var strict: Bool? { flag(.strict) }
    /// The `frames-in-flight` value.
    var framesInFlight: Int? { integer(.framesInFlight) }
    /// The `format` value.
    var format: String? { text(.format) }
    /// The `fps` value.
    var fps: Double? { if case .number(let d)? = storage[.fps] { d } else { nil } }
    /// The `jobs` value.
    var jobs: Int? { integer(.jobs) }
    /// The `name` value.
    var name: String? { text(.name) }
    /// The `recursive` value.
    var recursive: Bool? { flag(.recursive) }
    /// The `quiet` value.
    var quiet: Bool? { flag(.quiet) }
    /// The `reuse` value.
    var reuse: String? { text(.reuse) }
    /// The `reuse-threshold` value.
    var reuseThreshold: Double? { if case .number(let d)? = storage[.reuseThreshold] { d } else { nil } }
}
