import Foundation

/// The known pretrained models, where they are installed and how to find one by name.
///
/// Files live flat in the models folder as `<name>.param` and `<name>.bin`
/// (`make models` puts them there); the built-in `upscale-*` models are compiled in. The folder is `$UPSCALE_MODELS`, else
/// `$HOME/.cache/upscale/models`.
public enum ModelCatalog {
    /// The families this program knows.
    public static let families: [ModelFamily] = {
        func waifu(_ kind: String, _ arch: String, _ use: String) -> ModelFamily {
            ModelFamily(name: "waifu2x-upconv7-\(kind)", architecture: arch, use: use,
                        variants: [ModelVariant("waifu2x-upconv7-\(kind)-x2", scale: 2, prepadding: 7)]
                            + (0...3).map { (n: Int) in ModelVariant("waifu2x-upconv7-\(kind)-noise\(n)-x2", scale: 2, noise: n, prepadding: 7) })
        }
        return BuiltinModels.families + [
            ModelFamily(name: "realesr-animevideov3", architecture: "SRVGGNetCompact (ncnn)", use: "anime video",
                        variants: (2...4).map { ModelVariant("realesr-animevideov3-x\($0)", scale: $0) }),
            ModelFamily(name: "realesrgan-x4plus", architecture: "RRDBNet (ncnn)", use: "real photos, heavy degradation (slow)",
                        variants: [ModelVariant("realesrgan-x4plus", scale: 4)]),
            ModelFamily(name: "realesrgan-x4plus-anime", architecture: "RRDBNet (ncnn)", use: "anime images (slow)",
                        variants: [ModelVariant("realesrgan-x4plus-anime", scale: 4)]),
            waifu("anime", "waifu2x UpConv7 (ncnn)", "anime art; noiseN removes JPEG noise (N = 0...3)"),
            waifu("photo", "waifu2x UpConv7 (ncnn)", "photos; noiseN removes JPEG noise (N = 0...3)"),
            ModelFamily(name: "waifu2x-cunet", architecture: "waifu2x CUNet (ncnn)", use: "anime art, best waifu2x (slow); x1 denoises only",
                        variants: [ModelVariant("waifu2x-cunet-x2", scale: 2, prepadding: 18, alignment: 4)]
                            + (0...3).map { (n: Int) in ModelVariant("waifu2x-cunet-noise\(n)-x2", scale: 2, noise: n, prepadding: 18, alignment: 4) }
                            + (0...3).map { (n: Int) in ModelVariant("waifu2x-cunet-noise\(n)-x1", scale: 1, noise: n, prepadding: 28, alignment: 4) }),
        ]
    }()

    /// Every known model name, in catalog order.
    public static var knownNames: [String] { families.flatMap { $0.variants.map(\.name) } }

    /// The models folder: `$UPSCALE_MODELS`, else `$HOME/.cache/upscale/models`.
    public static var modelsDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["UPSCALE_MODELS"], !d.isEmpty { return d }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/upscale/models")
    }

    /// The descriptor for a known model name with files in `folder` (whether or not they exist).
    public static func descriptor(named name: String, in folder: String = modelsDirectory) -> ModelDescriptor? {
        if let d = BuiltinModels.descriptor(named: name) { return d }
        for f in families {
            for v in f.variants where v.name == name {
                let base = (folder as NSString).appendingPathComponent(name)
                return ModelDescriptor(name: name, family: f.name, architecture: f.architecture, scale: v.scale,
                                       noiseLevel: v.noise, paramPath: base + ".param", binPath: base + ".bin",
                                       prepadding: v.prepadding, alignment: v.alignment)
            }
        }
        return nil
    }

    /// The family a model name belongs to.
    public static func family(of name: String) -> ModelFamily? {
        families.first { $0.variants.contains { $0.name == name } }
    }

    /// Known models whose `.param` and `.bin` files are both in `folder`, in catalog order.
    public static func installed(in folder: String = modelsDirectory) -> [ModelDescriptor] {
        let fm = FileManager.default
        return knownNames.compactMap { descriptor(named: $0, in: folder) }
            .filter { $0.isBuiltin || (fm.isReadableFile(atPath: $0.paramPath) && fm.isReadableFile(atPath: $0.binPath)) }
    }

    /// Finds an installed model by name; with `scale`, a sibling of the same family may be chosen
    /// (`realesr-animevideov3-x2` with scale 4 gives `realesr-animevideov3-x4`).
    ///
    /// Throws `unknownModel` with close names, `noScaleVariant`, or `notInstalled`.
    public static func locate(_ name: String, scale: Int? = nil, in folder: String = modelsDirectory) throws -> ModelDescriptor {
        var chosen = name
        if descriptor(named: name, in: folder) == nil, let f = families.first(where: { $0.name == name }) {
            // A bare family name: the variant for the scale, else the first plain one.
            let plain = f.variants.filter { $0.noise == nil }
            guard let v = (scale.map { s in plain.first { $0.scale == s } } ?? plain.first) ?? nil else {
                throw ModelError.noScaleVariant(model: name, scale: scale ?? 0, available: f.scales)
            }
            chosen = v.name
        }
        guard var d = descriptor(named: chosen, in: folder), let f = family(of: chosen) else {
            let fm = FileManager.default
            let empty = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).allSatisfy { !$0.hasSuffix(".param") }
            throw ModelError.unknownModel(name: name, suggestions: suggestions(for: name), folderEmpty: empty, folder: folder)
        }
        if let s = scale, s != d.scale {
            guard let v = f.variants.first(where: { $0.scale == s && $0.noise == d.noiseLevel }),
                  let sibling = descriptor(named: v.name, in: folder) else {
                throw ModelError.noScaleVariant(model: d.name, scale: s, available: f.scales)
            }
            d = sibling
        }
        let fm = FileManager.default
        guard d.isBuiltin || (fm.isReadableFile(atPath: d.paramPath) && fm.isReadableFile(atPath: d.binPath)) else {
            throw ModelError.notInstalled(name: d.name, folder: folder)
        }
        return d
    }

    /// Up to three known names close to `name` (edit distance, prefix or containment), best first.
    public static func suggestions(for name: String) -> [String] {
        let q = name.lowercased()
        let scored: [(String, Int)] = (knownNames + families.map(\.name)).map { candidate in
            var d = editDistance(q, candidate)
            if candidate.hasPrefix(q) || q.hasPrefix(candidate) || candidate.contains(q) { d = min(d, 2) }
            return (candidate, d)
        }
        let limit = max(3, q.count / 3)
        let close = scored.filter { $0.1 <= limit && $0.0 != q }
        guard let best = close.map(\.1).min() else { return [] }
        var seen = Set<String>()
        return close.filter { $0.1 == best }.sorted { $0.0 < $1.0 }
            .map(\.0).filter { seen.insert($0).inserted }.prefix(3).map { $0 }
    }

    /// Levenshtein distance between two strings.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        var prev = Array(0...y.count), cur = prev
        for i in 1...x.count {
            cur[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
