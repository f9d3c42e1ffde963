import Foundation
import SRModels

/// Turns the user's `--model` / `--scale` into an `Upscaler`.
///
/// Rules: no model means the default (`realesr-animevideov3-xN` when installed, else lanczos with
/// a hint); a family name without `-xN` (e.g. `realesr-animevideov3`) picks the variant for the
/// scale; a full name must agree with `--scale` when both are given.
public enum UpscalerResolver {
    /// The default model family.
    public static let defaultFamily = "realesr-animevideov3"

    /// Resolves the upscaler; `notes` receives one-line hints for the user.
    /// With `chainable`, a scale no variant has returns the family's largest variant (the caller
    /// chains passes) instead of failing.
    public static func resolve(model: String?, scale: Int?, chainable: Bool = false,
                               notes: (String) -> Void = { _ in }) throws -> Upscaler {
        if let scale, !(1...16).contains(scale) {
            throw PipelineError.invalidOption("--scale must be between 1 and 16 (got \(scale))")
        }
        let installed = ModelCatalog.installed()
        guard let name = model else {
            let s = scale ?? 2
            if let d = installed.first(where: { $0.name == "\(defaultFamily)-x\(s)" }) {
                return Upscaler(name: d.name, scale: d.scale, kind: .neural(try SRModel(descriptor: d)))
            }
            if chainable, s > 1, let d = installed.filter({ familyName($0.name) == defaultFamily }).max(by: { $0.scale < $1.scale }) {
                return Upscaler(name: d.name, scale: d.scale, kind: .neural(try SRModel(descriptor: d)))
            }
            notes("no neural model installed for x\(s): using lanczos (run 'make models' for \(defaultFamily))")
            return Upscaler(name: "lanczos", scale: s, kind: .lanczos)
        }
        if Upscaler.classicalNames.contains(name) {
            return Upscaler(name: name, scale: scale ?? 2, kind: name == "lanczos" ? .lanczos : .bicubic)
        }
        // A family name: pick the variant for the scale.
        let variants = installed.filter { familyName($0.name) == name }
        if !variants.isEmpty, variants.first(where: { $0.name == name }) == nil {
            let s = scale ?? variants.map(\.scale).min() ?? 2
            if chainable, variants.first(where: { $0.scale == s }) == nil, s > 1,
               let d = variants.filter({ $0.scale > 1 }).max(by: { $0.scale < $1.scale }) {
                return Upscaler(name: d.name, scale: d.scale, kind: .neural(try SRModel(descriptor: d)))
            }
            guard let d = variants.first(where: { $0.scale == s }) else {
                throw PipelineError.unsupportedScale(model: name, scale: s, available: variants.map(\.scale).sorted())
            }
            return Upscaler(name: d.name, scale: d.scale, kind: .neural(try SRModel(descriptor: d)))
        }
        let d = try ModelCatalog.locate(name)
        if let scale, scale != d.scale, !(chainable && scale > d.scale && d.scale > 1) {
            let siblings = installed.filter { familyName($0.name) == familyName(d.name) }.map(\.scale)
            throw PipelineError.unsupportedScale(model: d.name, scale: scale, available: Array(Set(siblings + [d.scale])).sorted())
        }
        return Upscaler(name: d.name, scale: d.scale, kind: .neural(try SRModel(descriptor: d)))
    }

    /// `name` without a trailing `-xN` scale suffix.
    static func familyName(_ name: String) -> String {
        guard let r = name.range(of: "-x", options: .backwards),
              Int(name[r.upperBound...]) != nil else { return name }
        return String(name[..<r.lowerBound])
    }
}
