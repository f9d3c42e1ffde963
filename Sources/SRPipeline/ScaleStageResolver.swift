import Foundation
import SRModels

/// Turns the user's `--model` / `--scale` into an `ScaleStage`.
///
/// Rules: no model means the default: the built-in `upscale-real-xN` (x2, x4; trained on
/// compressed, noisy LR; no download needed), else `realesr-animevideov3-xN` when installed
/// (x3), else chained built-in passes where the caller can chain, else lanczos with a hint. A family name without `-xN` picks the
/// variant for the scale; a full name must agree with `--scale` when both are given; a path
/// ending in `.safetensors` loads a model written by `upscale train`.
public enum ScaleStageResolver {
    /// The default model family (built in).
    public static let defaultFamily = "upscale-real"
    /// Families tried for the default, in order.
    public static let defaultFamilies = [defaultFamily, "realesr-animevideov3"]

    /// Resolves the upscaler; `notes` receives one-line hints for the user.
    /// With `chainable`, a scale no variant has returns the family's largest variant (the caller
    /// chains passes) instead of failing.
    public static func resolve(model: String?, scale: Int?, chainable: Bool = false,
                               notes: (String) -> Void = { _ in }) throws -> ScaleStage {
        if let scale, !(1...16).contains(scale) {
            throw PipelineError.invalidOption("--scale must be between 1 and 16 (got \(scale))")
        }
        let installed = ModelCatalog.installed()
        guard let name = model else {
            let s = scale ?? 2
            for family in defaultFamilies {
                if let d = installed.first(where: { $0.name == "\(family)-x\(s)" }) {
                    return ScaleStage(name: d.name, scale: d.scale, kind: .neural(try LoadedModel(descriptor: d)))
                }
            }
            if chainable, s > 1, let d = installed.filter({ familyName($0.name) == defaultFamily }).max(by: { $0.scale < $1.scale }) {
                return ScaleStage(name: d.name, scale: d.scale, kind: .neural(try LoadedModel(descriptor: d)))
            }
            notes("no model for x\(s): using lanczos (built in: x2, x4; `make models` adds realesr-animevideov3-x3)")
            return ScaleStage(name: "lanczos", scale: s, kind: .lanczos)
        }
        if name.hasSuffix(".safetensors") {
            let m = try LoadedModel(weightsFile: name)
            if let scale, scale != m.scale, !(chainable && scale > m.scale && m.scale > 1) {
                throw PipelineError.unsupportedScale(model: m.descriptor.name, scale: scale, available: [m.scale])
            }
            return ScaleStage(name: m.descriptor.name, scale: m.scale, kind: .neural(m))
        }
        if ScaleStage.classicalNames.contains(name) {
            return ScaleStage(name: name, scale: scale ?? 2, kind: name == "lanczos" ? .lanczos : .bicubic)
        }
        // A family name: pick the variant for the scale.
        let variants = installed.filter { familyName($0.name) == name }
        if !variants.isEmpty, variants.first(where: { $0.name == name }) == nil {
            let s = scale ?? variants.map(\.scale).min() ?? 2
            if chainable, variants.first(where: { $0.scale == s }) == nil, s > 1,
               let d = variants.filter({ $0.scale > 1 }).max(by: { $0.scale < $1.scale }) {
                return ScaleStage(name: d.name, scale: d.scale, kind: .neural(try LoadedModel(descriptor: d)))
            }
            guard let d = variants.first(where: { $0.scale == s }) else {
                throw PipelineError.unsupportedScale(model: name, scale: s, available: variants.map(\.scale).sorted())
            }
            return ScaleStage(name: d.name, scale: d.scale, kind: .neural(try LoadedModel(descriptor: d)))
        }
        let d = try ModelCatalog.locate(name)
        if let scale, scale != d.scale, !(chainable && scale > d.scale && d.scale > 1) {
            let siblings = installed.filter { familyName($0.name) == familyName(d.name) }.map(\.scale)
            throw PipelineError.unsupportedScale(model: d.name, scale: scale, available: Array(Set(siblings + [d.scale])).sorted())
        }
        return ScaleStage(name: d.name, scale: d.scale, kind: .neural(try LoadedModel(descriptor: d)))
    }

    /// `name` without a trailing `-xN` scale suffix.
    static func familyName(_ name: String) -> String {
        guard let r = name.range(of: "-x", options: .backwards),
              Int(name[r.upperBound...]) != nil else { return name }
        return String(name[..<r.lowerBound])
    }
}
