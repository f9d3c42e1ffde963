import Foundation
import SRAutograd
import SRDegrade
import SRLosses
import SRModels
import SRPipeline

/// Reads an `upscale train` TOML file into a `TrainConfig`; every error names the file and key.
///
/// Layout: top-level `output`, `scale`, `steps`, `batch`, `crop`, `seed`, `threads`; tables
/// `[network]` (`type` plus the architecture's settings), `[[loss]]` (`type`, `weight`, extra
/// numbers), `[optimizer]`, `[data]`, `[validation]`, `[checkpoint]`. See presets/training/.
public enum TrainConfigFile {
    /// Reads and checks the file's keys and types (ranges are `TrainConfig.validate`'s).
    public static func read(_ path: String) throws -> TrainConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw TrainingError.config("cannot read '\(path)'") }
        return try parse(text, file: (path as NSString).lastPathComponent)
    }

    /// Checks a config file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> TrainConfig {
        let root = try TOMLReader.table(text, file: file)
        func fail(_ key: String, _ msg: String) -> TrainingError { .config("\(file): \(key): \(msg)") }
        func check(_ t: TOMLTable, _ prefix: String, _ allowed: Set<String>) throws {
            for key in t.keys where !allowed.contains(key) {
                throw fail(prefix + key, "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        func int(_ t: TOMLTable, _ key: String, _ prefix: String = "") throws -> Int? {
            guard let v = t[key] else { return nil }
            guard let i = v.int else { throw fail(prefix + key, "must be an integer (got \(v.debugDescription))") }
            return i
        }
        func number(_ t: TOMLTable, _ key: String, _ prefix: String = "") throws -> Double? {
            guard let v = t[key] else { return nil }
            guard let d = v.double ?? v.int.map(Double.init) else { throw fail(prefix + key, "must be a number (got \(v.debugDescription))") }
            return d
        }
        func string(_ t: TOMLTable, _ key: String, _ prefix: String = "") throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw fail(prefix + key, "must be a string (got \(v.debugDescription))") }
            return s
        }
        func numbers(_ t: TOMLTable, _ key: String, _ prefix: String = "") throws -> [Double]? {
            guard let v = t[key] else { return nil }
            guard let a = v.array, case let items = a.compactMap({ $0.double ?? $0.int.map(Double.init) }), items.count == a.count else {
                throw fail(prefix + key, "must be a list of numbers")
            }
            return items
        }
        func strings(_ t: TOMLTable, _ key: String, _ prefix: String = "") throws -> [String]? {
            guard let v = t[key] else { return nil }
            if let s = v.string { return [s] }
            guard let a = v.array, case let items = a.compactMap({ $0.string }), items.count == a.count else {
                throw fail(prefix + key, "must be a string or a list of strings")
            }
            return items
        }
        func range(_ t: TOMLTable, _ key: String, _ prefix: String) throws -> ClosedRange<Float>? {
            guard let v = try numbers(t, key, prefix) else { return nil }
            guard v.count == 2, v[0] >= 0, v[0] <= v[1] else { throw fail(prefix + key, "must be [low, high] with 0 <= low <= high") }
            return Float(v[0])...Float(v[1])
        }
        func table(_ key: String) throws -> TOMLTable? {
            guard let v = root[key] else { return nil }
            guard let t = v.table else { throw fail(key, "must be a table ([\(key)])") }
            return t
        }

        try check(root, "", ["output", "scale", "steps", "batch", "crop", "seed", "threads", "init", "network", "loss", "optimizer", "data",
                              "validation", "checkpoint", "discriminator", "fusion", "diffusion"])
        guard let net = try table("network"), let arch = try string(net, "type", "network.") else { throw fail("network.type", "is required (e.g. \"srvgg_compact\")") }
        guard let scale = try int(root, "scale") else { throw fail("scale", "is required") }
        guard let output = try string(root, "output") else { throw fail("output", "is required (a .safetensors path)") }
        var c = TrainConfig(architecture: arch, scale: scale, output: output)
        for (k, v) in net where k != "type" {
            c.network.values[k] = v.string ?? v.int.map(String.init) ?? v.double.map { "\($0)" } ?? v.bool.map { "\($0)" } ?? v.debugDescription
        }
        c.steps = try int(root, "steps") ?? c.steps
        c.batch = try int(root, "batch") ?? c.batch
        c.crop = try int(root, "crop") ?? c.crop
        c.seed = UInt64(max(0, try int(root, "seed") ?? Int(c.seed)))
        c.threads = try int(root, "threads") ?? ProcessInfo.processInfo.activeProcessorCount
        c.initFrom = try string(root, "init")
        if let f = try table("fusion") {
            try check(f, "fusion.", ["sources"])
            c.fusionSources = try strings(f, "sources", "fusion.")
        }
        if let d = try table("diffusion") {
            try check(d, "diffusion.", ["terms"])
            if let name = try string(d, "terms", "diffusion.") {
                guard let t = DiffusionTerms(rawValue: name) else { throw fail("diffusion.terms", "must be estimate or sample (got \(name))") }
                c.diffusionTerms = t
            }
        }
        if let d = try table("discriminator") {
            try check(d, "discriminator.", ["features", "lr"])
            c.discriminatorFeatures = try int(d, "features", "discriminator.") ?? c.discriminatorFeatures
            c.discriminatorLR = Float(try number(d, "lr", "discriminator.") ?? Double(c.discriminatorLR))
        }
        if let v = root["loss"] {
            guard let list = v.array else { throw fail("loss", "must be [[loss]] tables") }
            c.losses = try list.enumerated().map { i, item in
                let p = "loss[\(i)]."
                guard let t = item.table, let type = try string(t, "type", p) else { throw fail(p + "type", "is required") }
                var spec = LossSpec(type: type, weight: Float(try number(t, "weight", p) ?? 1))
                if let name = try string(t, "target", p) {
                    guard let target = LossTarget(rawValue: name) else {
                        throw fail(p + "target", "must be \(LossTarget.allCases.map(\.rawValue).joined(separator: ", ")) (got \(name))")
                    }
                    spec.target = target
                }
                for (k, _) in t where !["type", "weight", "target"].contains(k) { spec.params[k] = try number(t, k, p) }
                return spec
            }
        }
        if let o = try table("optimizer") {
            let p = "optimizer."
            try check(o, p, ["lr", "betas", "weight_decay", "schedule", "min_lr", "milestones", "gamma", "warmup", "clip_norm"])
            let lr = Float(try number(o, "lr", p) ?? 5e-4)
            if let b = try numbers(o, "betas", p) {
                guard b.count == 2, b.allSatisfy({ (0..<1).contains($0) }) else { throw fail(p + "betas", "must be [beta1, beta2] in 0..<1") }
                c.beta1 = Float(b[0]); c.beta2 = Float(b[1])
            }
            c.weightDecay = Float(try number(o, "weight_decay", p) ?? 0)
            c.clipNorm = Float(try number(o, "clip_norm", p) ?? 0)
            let warmup = try int(o, "warmup", p) ?? 0
            switch try string(o, "schedule", p) ?? "cosine" {
            case "constant": c.schedule = LRSchedule(base: lr, kind: .constant, warmup: warmup)
            case "step":
                let ms = try numbers(o, "milestones", p) ?? []
                c.schedule = LRSchedule(base: lr, kind: .step(milestones: ms.map { Int($0) }, gamma: Float(try number(o, "gamma", p) ?? 0.5)), warmup: warmup)
            case "cosine":
                c.schedule = LRSchedule(base: lr, kind: .cosine(total: c.steps, minimum: Float(try number(o, "min_lr", p) ?? 1e-6)), warmup: warmup)
            case let other: throw fail(p + "schedule", "must be constant, step or cosine (got \(other))")
            }
        } else {
            c.schedule = LRSchedule(base: 5e-4, kind: .cosine(total: c.steps, minimum: 1e-6))
        }
        if let d = try table("data") {
            let p = "data."
            try check(d, p, ["train", "val", "blur", "noise", "jpeg", "degrade_probability", "degradation"])
            c.trainDirs = try strings(d, "train", p) ?? []
            c.valDirs = try strings(d, "val", p) ?? []
            c.blurSigma = try range(d, "blur", p) ?? c.blurSigma
            c.noiseSigma = try range(d, "noise", p) ?? c.noiseSigma
            c.degradeProbability = Float(try number(d, "degrade_probability", p) ?? 0)
            if let q = try numbers(d, "jpeg", p) {
                guard q.count == 2, q[0] >= 2, q[0] <= q[1], q[1] <= 31 else { throw fail(p + "jpeg", "must be [low, high] JPEG quantizer scales within 2...31") }
                c.jpegQScale = Int(q[0])...Int(q[1])
            }
            if let v = d["degradation"] {
                guard let g = v.table else { throw fail(p + "degradation", "must be a table ([data.degradation])") }
                c.degradation = try degradation(g, fail: fail)
            }
        }
        if let v = try table("validation") {
            try check(v, "validation.", ["every", "crop", "keep_best"])
            if let k = v["keep_best"] {
                guard let b = k.bool else { throw fail("validation.keep_best", "must be true or false (got \(k.debugDescription))") }
                c.keepBest = b
            }
            c.validateEvery = try int(v, "every", "validation.") ?? c.validateEvery
            c.validationCrop = try int(v, "crop", "validation.") ?? c.validationCrop
        }
        if let k = try table("checkpoint") {
            try check(k, "checkpoint.", ["every"])
            c.checkpointEvery = try int(k, "every", "checkpoint.") ?? c.checkpointEvery
        }
        return c
    }

    /// `[data.degradation]`: every key of `DegradationConfig`, ranges as [low, high] lists.
    static func degradation(_ t: TOMLTable, fail: (String, String) -> TrainingError) throws -> DegradationConfig {
        let p = "data.degradation."
        var g = DegradationConfig()
        let probabilities: [(String, WritableKeyPath<DegradationConfig, Float>)] = [
            ("clean", \.clean), ("blur_probability", \.blurProbability), ("anisotropic", \.anisotropic), ("generalized", \.generalized),
            ("sinc", \.sinc), ("resize_probability", \.resizeProbability), ("noise_probability", \.noiseProbability),
            ("poisson_share", \.poisson), ("gray_noise", \.grayNoise), ("compression_probability", \.compressionProbability),
            ("h264_share", \.h264Share), ("mpeg2_share", \.mpeg2Share), ("jpeg_share", \.jpegShare), ("second_order", \.secondOrder)]
        let ranges: [(String, WritableKeyPath<DegradationConfig, ClosedRange<Float>>)] = [
            ("blur", \.blurSigma), ("resize", \.resize), ("noise", \.noiseSigma), ("poisson", \.poissonScale)]
        let intRanges: [(String, WritableKeyPath<DegradationConfig, ClosedRange<Int>>)] = [
            ("kernel_size", \.kernelSize), ("h264_crf", \.h264CRF), ("mpeg2_q", \.mpeg2Q), ("jpeg_q", \.jpegQ)]
        let known = Set(probabilities.map(\.0) + ranges.map(\.0) + intRanges.map(\.0) + ["frames"])
        for key in t.keys where !known.contains(key) {
            throw fail(p + key, "unknown key (allowed: \(known.sorted().joined(separator: ", ")))")
        }
        func pair(_ key: String) throws -> (Double, Double)? {
            guard let v = t[key] else { return nil }
            guard let a = v.array, a.count == 2, let lo = a[0].double ?? a[0].int.map(Double.init),
                  let hi = a[1].double ?? a[1].int.map(Double.init), lo <= hi else {
                throw fail(p + key, "must be [low, high] with low <= high")
            }
            return (lo, hi)
        }
        for (key, path) in probabilities {
            guard let v = t[key] else { continue }
            guard let x = v.double ?? v.int.map(Double.init) else { throw fail(p + key, "must be a number (got \(v.debugDescription))") }
            g[keyPath: path] = Float(x)
        }
        for (key, path) in ranges { if let (lo, hi) = try pair(key) { g[keyPath: path] = Float(lo)...Float(hi) } }
        for (key, path) in intRanges {
            guard let (lo, hi) = try pair(key) else { continue }
            guard lo == lo.rounded(), hi == hi.rounded() else { throw fail(p + key, "must be [low, high] integers") }
            g[keyPath: path] = Int(lo)...Int(hi)
        }
        if let v = t["frames"] {
            guard let n = v.int else { throw fail(p + "frames", "must be an integer (got \(v.debugDescription))") }
            g.frames = n
        }
        do { try g.validate() } catch let e as DegradeError { throw TrainingError.config("\(e)") }
        return g
    }
}
