import Foundation
import SRKernels
import SRMedia
import SRModels
import SRTensor

/// Something that enlarges an RGB tensor by an integer factor: a neural model or a classical filter.
///
/// Thread safety: `upscale` may be called from several threads at once.
public struct ScaleStage: Sendable {
    /// How the pixels are produced.
    public enum Kind: Sendable {
        /// A loaded network.
        case neural(LoadedModel)
        /// libswscale's lanczos.
        case lanczos
        /// Bicubic interpolation (A = -0.75, half-pixel centres).
        case bicubic
    }

    /// The name shown to users (model name, or `lanczos` / `bicubic`).
    public let name: String
    /// The enlargement factor.
    public let scale: Int
    /// The implementation.
    public let kind: Kind

    /// Names of the classical upscalers that need no model file.
    public static let classicalNames = ["lanczos", "bicubic"]

    /// Enlarges `rgb` (1 x C x H x W, 0...1) by `scale` with `context`'s threads; the result is not clamped.
    public func upscale(_ rgb: Tensor, context: ExecutionContext = .serial) throws -> Tensor {
        switch kind {
        case .neural(let model): return try model.upscale(rgb, context: context)
        case .lanczos: return try Resampler.lanczos(rgb, width: rgb.w * scale, height: rgb.h * scale)
        case .bicubic: return Kernels.interp(rgb, mode: .bicubic, outH: rgb.h * scale, outW: rgb.w * scale)
        }
    }

    /// Enlarges a one-channel plane (alpha) with the same upscaler, by running it as gray RGB.
    public func upscalePlane(_ plane: Tensor, context: ExecutionContext = .serial) throws -> Tensor {
        if case .neural = kind {
            let rgb = Kernels.concatChannels([plane, plane, plane])
            let up = try upscale(rgb, context: context)
            var out = Tensor(c: 1, h: up.h, w: up.w)
            let n = up.h * up.w
            for i in 0..<n { out.data[i] = (up.data[i] + up.data[n + i] + up.data[2 * n + i]) / 3 }
            return out
        }
        return try upscale(plane, context: context)
    }

    /// True for a diffusion model (SR3): sampled in steps, seeded.
    public var isDiffusion: Bool {
        if case .neural(let m) = kind { return m.diffusion != nil }
        return false
    }

    /// This upscaler sampling with `steps` and `seed` when it is a diffusion model (else itself).
    public func sampling(steps: Int?, seed: UInt64) throws -> ScaleStage {
        guard isDiffusion, case .neural(let m) = kind else { return self }
        return ScaleStage(name: name, scale: scale, kind: .neural(try m.sampling(steps: steps, seed: seed)))
    }

    /// This upscaler with its network's Winograd path on or off (itself when nothing changes).
    public func prepared(winograd: Bool) throws -> ScaleStage {
        guard case .neural(let m) = kind else { return self }
        let p = try m.prepared(winograd: winograd)
        return p === m ? self : ScaleStage(name: name, scale: scale, kind: .neural(p))
    }
}

extension ScaleStage {
    /// Input pixels of context a tile needs on each side for its core to equal the whole-frame result.
    public var receptiveRadius: Int {
        switch kind {
        case .neural(let m): return m.receptiveRadius
        case .lanczos: return 4
        case .bicubic: return 3
        }
    }

    /// False for networks that pool over the whole input: their tiled output is approximate.
    public var tilesExactly: Bool {
        if case .neural(let m) = kind { return m.tilesExactly }
        return true
    }

    /// True when most of the work runs in convolutions that parallelize internally (Winograd):
    /// then one frame (or one large tile) at a time with every thread beats parallel strips,
    /// which repeat the context around each strip (bench/tiling.sh).
    public var parallelizesInside: Bool {
        if case .neural(let m) = kind { return m.winogradShare >= 0.5 }
        return false
    }

    /// Tile windows must start on multiples of this (strided networks).
    public var alignment: Int {
        if case .neural(let m) = kind { return max(1, m.descriptor.alignment) }
        return 1
    }

    /// Peak working memory of one inference on a `width x height` input, in bytes.
    public func workingBytes(width: Int, height: Int) -> Double {
        if case .neural(let m) = kind { return m.workingBytes(width: width, height: height) }
        return Double(4 * 3 * (1 + scale * scale) * 2 * width * height)
    }
}

extension ScaleStage {
    /// Direct-convolution-equivalent FLOPs per input pixel (0 for classical filters).
    public var flopsPerInputPixel: Double {
        if case .neural(let m) = kind { return m.flopsPerInputPixel() }
        return 0
    }
}

extension ScaleStage {
    /// What identifies this upscaler's output for a resumed run: its name and, for a model, its
    /// files' sizes and modification times (built-in models: the weights compiled in).
    var identity: String {
        guard case .neural(let m) = kind else { return name }
        let d = m.descriptor
        if d.isBuiltin { return "\(name) (built in, \(m.parameterCount) parameters)" }
        let files = [d.weightsPath, d.paramPath, d.binPath].compactMap { $0 }.filter { !$0.isEmpty }
        let stamps = files.map { path -> String in
            let a = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (a?[.size] as? NSNumber)?.intValue ?? -1
            let time = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\((path as NSString).lastPathComponent) \(size) \(time)"
        }
        return ([name] + stamps).joined(separator: ", ")
    }
}
