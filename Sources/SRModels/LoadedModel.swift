import Foundation
import SRKernels
import SRTensor

/// A loaded pretrained super-resolution model: the ncnn network plus its input convention.
///
/// Immutable and `Sendable`: several workers may call `upscale` / `forward` at once.
public final class LoadedModel: Sendable {
    /// What the model is and where its files are.
    public let descriptor: ModelDescriptor
    /// The network.
    public let net: NCNNNet
    /// Receptive radius and working memory, computed once at load.
    private let radius: Int, bytesPerPixel: Double, flopsPerPixel: Double
    /// Share of the multiply-adds run by Winograd convolutions (see `NCNNNet.winogradShare`).
    public let winogradShare: Double
    /// For a fusion model (seed 004): the two models whose outputs `net` merges; else empty.
    public let sources: [LoadedModel]
    /// For a diffusion model (seed 001, SR3): the sampler that runs `net` step by step; else nil.
    public let diffusion: DiffusionSampler?

    /// Loads the model's files: a safetensors file written by `upscale train` when the descriptor
    /// has `weightsPath` (a built-in model's bytes for `builtin:NAME`), else the ncnn `.param` and
    /// `.bin` pair.
    public convenience init(descriptor: ModelDescriptor) throws {
        guard let path = descriptor.weightsPath else {
            try self.init(descriptor: descriptor, net: NCNNNet(paramPath: descriptor.paramPath, binPath: descriptor.binPath))
            return
        }
        if path.hasPrefix(BuiltinModels.scheme) {
            let name = String(path.dropFirst(BuiltinModels.scheme.count))
            try self.init(weights: BuiltinModels.safeTensors(name), file: name + ".safetensors", name: name, descriptor: descriptor, weightsPath: path)
        } else {
            try self.init(weights: SafeTensors(contentsOf: path), file: (path as NSString).lastPathComponent, name: descriptor.name,
                          descriptor: descriptor, weightsPath: path)
        }
    }

    /// Loads a safetensors file written by `upscale train` (named after the file's stem by default).
    public convenience init(weightsFile path: String, name: String? = nil) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError.cannotRead(path: path, reason: "No such file or directory") }
        let file = (path as NSString).lastPathComponent
        try self.init(weights: SafeTensors(contentsOf: path), file: file, name: name ?? (file as NSString).deletingPathExtension,
                      descriptor: nil, weightsPath: path)
    }

    /// The network of a weights file as a model: a fusion network (architecture `fusion`) with its
    /// two source models (metadata `sources`), an SR3 U-Net with its sampler, or a plain network;
    /// with `descriptor` nil, one is made from the network.
    private convenience init(weights st: SafeTensors, file: String, name: String, descriptor: ModelDescriptor?, weightsPath: String) throws {
        let net = try ArchitectureRegistry.load(st, file: file)
        if net is FusionNet {
            let names = (st.metadata["sources"] ?? "").split(separator: ",").map(String.init)
            try self.init(fusion: net, name: name, sources: try names.map(LoadedModel.source), weightsPath: weightsPath)
        } else if let descriptor, let unet = net as? SR3UNet {
            try self.init(descriptor: descriptor, diffusion: DiffusionSampler(unet, net: unet.inferenceNet()))
        } else if let descriptor {
            try self.init(descriptor: descriptor, net: net.inferenceNet())
        } else {
            try self.init(trained: net, name: name, weightsPath: weightsPath)
        }
    }

    /// A trained network as a model (for evaluation during training and for weight files).
    public convenience init(trained network: any TrainableNetwork, name: String, weightsPath: String? = nil) throws {
        let d = ModelDescriptor(name: name, family: name, architecture: network.summary, scale: network.scale,
                                paramPath: "", binPath: "", weightsPath: weightsPath)
        if let unet = network as? SR3UNet {
            try self.init(descriptor: d, diffusion: DiffusionSampler(unet, net: unet.inferenceNet()))
        } else {
            try self.init(descriptor: d, net: network.inferenceNet())
        }
    }

    /// A diffusion model: `sampler`'s U-Net runs `steps` times per image at the output size.
    public init(descriptor: ModelDescriptor, diffusion sampler: DiffusionSampler) throws {
        self.descriptor = descriptor
        net = sampler.net
        sources = []
        diffusion = sampler
        let s = sampler.scale, ref = 64, shape = BlobShape(c: 6 + sampler.embedding, h: ref, w: ref)
        let perHR = Double(s * s) / Double(ref * ref)
        flopsPerPixel = 2 * (try net.multiplyAdds(input: shape)) * perHR * Double(sampler.steps) + (sampler.baseModel?.flopsPerPixel ?? 0)
        // The U-Net's activations plus x_t, x̂0, the bicubic base and the input stack.
        bytesPerPixel = (try net.peakWorkingBytes(input: shape)) * perHR + Double(4 * (15 + sampler.embedding) * s * s)
        winogradShare = net.winogradShare(input: shape)
        radius = Int((net.receptiveField.radius / Double(s)).rounded(.up)) + (sampler.baseModel?.radius ?? 0)
    }

    /// A fusion model: `sources` (two models of one scale) run on the input, their outputs are
    /// stacked as 6 channels and `network` (a `FusionNet`, scale 1) merges them.
    public init(fusion network: any TrainableNetwork, name: String, sources: [LoadedModel], weightsPath: String? = nil) throws {
        guard network is FusionNet, sources.count == 2, sources[0].scale == sources[1].scale else {
            throw ModelError.badArchitecture("a fusion model needs a fusion network and two source models of one scale (got \(sources.count))")
        }
        let s = sources[0].scale
        descriptor = ModelDescriptor(name: name, family: name, architecture: "\(network.summary) of \(sources.map(\.descriptor.name).joined(separator: " + "))",
                                     scale: s, paramPath: "", binPath: "", weightsPath: weightsPath)
        net = try network.inferenceNet()
        self.sources = sources
        diffusion = nil
        let ref = 64, shape = BlobShape(c: 6, h: ref, w: ref), area = Double(ref * ref * s * s)
        flopsPerPixel = sources.reduce(0) { $0 + $1.flopsPerPixel } + 2 * (try net.multiplyAdds(input: shape)) / Double(ref * ref) * Double(s * s)
        bytesPerPixel = (sources.map(\.bytesPerPixel).max() ?? 0) + (try net.peakWorkingBytes(input: shape)) / area * Double(s * s)
        winogradShare = sources.map(\.winogradShare).min() ?? 0
        radius = (sources.map(\.radius).max() ?? 0) + Int((net.receptiveField.radius / Double(s)).rounded(.up))
    }

    /// Wraps a built network.
    public init(descriptor: ModelDescriptor, net: NCNNNet) throws {
        self.descriptor = descriptor
        self.net = net
        sources = []
        diffusion = nil
        let ref = LoadedModel.referenceSide(alignment: descriptor.alignment)
        let shape = BlobShape(c: 3, h: ref, w: ref)
        flopsPerPixel = try 2 * net.multiplyAdds(input: shape) / Double(ref * ref)
        bytesPerPixel = try net.peakWorkingBytes(input: shape) / Double(ref * ref)
        winogradShare = net.winogradShare(input: shape)
        let f = net.receptiveField
        radius = max(descriptor.prepadding, Int((f.radius - 1e-9).rounded(.up)))
    }

    /// This model with Winograd on or off (itself when it already is); the weights are shared.
    public func prepared(winograd on: Bool) throws -> LoadedModel {
        if net.winograd == on && sources.allSatisfy({ $0.net.winograd == on }) { return self }
        if let diffusion { return try LoadedModel(descriptor: descriptor, diffusion: diffusion.with(net: net.prepared(winograd: on))) }
        if sources.isEmpty { return try LoadedModel(descriptor: descriptor, net: net.prepared(winograd: on)) }
        return LoadedModel(fusion: self, net: net.prepared(winograd: on), sources: try sources.map { try $0.prepared(winograd: on) })
    }

    /// A fusion model `m` with other variants of its networks.
    private init(fusion m: LoadedModel, net: NCNNNet, sources: [LoadedModel]) {
        descriptor = m.descriptor; self.net = net; self.sources = sources; diffusion = nil
        radius = m.radius; bytesPerPixel = m.bytesPerPixel; flopsPerPixel = m.flopsPerPixel
        winogradShare = sources.map(\.winogradShare).min() ?? 0
    }

    /// This diffusion model sampling with `steps` (nil: unchanged) and `seed`; itself for other models.
    public func sampling(steps: Int?, seed: UInt64) throws -> LoadedModel {
        guard var d = diffusion else { return self }
        if let steps { d.steps = steps }
        d.seed = seed
        return try LoadedModel(descriptor: descriptor, diffusion: d)
    }

    /// 64, rounded up to the alignment.
    static func referenceSide(alignment: Int) -> Int {
        let a = max(alignment, 1)
        return (64 + a - 1) / a * a
    }

    /// Enlargement factor.
    public var scale: Int { descriptor.scale }
    /// Human-readable architecture, e.g. `RRDBNet (ncnn)`.
    public var architecture: String { descriptor.architecture }
    /// Number of learned values.
    public var parameterCount: Int { net.parameterCount }

    /// FLOPs (2 per multiply-add of convolution, deconvolution and inner-product layers) per
    /// network-input pixel, from shape propagation on a 64x64 input.
    public func flopsPerInputPixel() -> Double { flopsPerPixel }

    /// Input pixels of context a tile needs on each side for its core to match the whole-frame
    /// result (at least `prepadding`; global-pooling attention is not counted).
    public var receptiveRadius: Int { radius }

    /// Peak working memory of one `forward`, in bytes per network-input pixel
    /// (activations and convolution scratch, at a 64x64 input).
    public var workingBytesPerInputPixel: Double { bytesPerPixel }

    /// Runs the raw network (no padding, no cropping) with `context`'s threads.
    public func forward(_ x: Tensor, context: ExecutionContext = .serial) throws -> Tensor {
        try net.forward(input: x, context: context)
    }

    /// Enlarges `image` (N x 3 x H x W, RGB 0...1) with the model's input convention: edge
    /// replication by `prepadding`, extra right/bottom replication up to `alignment`, then the
    /// output cropped to `scale*H x scale*W` from the top-left. The result is not clamped.
    /// Parallel kernels use `context`'s threads.
    public func upscale(_ image: Tensor, context: ExecutionContext = .serial) throws -> Tensor {
        guard image.c == 3, image.h > 0, image.w > 0 else {
            throw ModelError.badInput(model: descriptor.name, detail: "expects a 3-channel RGB image, got \(image.shapeDescription)")
        }
        if let diffusion { return try diffusion.sample(image, context: context) }
        if sources.count == 2 {
            let stacked = Kernels.concatChannels([try sources[0].upscale(image, context: context),
                                                  try sources[1].upscale(image, context: context)])
            return try net.forward(input: stacked, context: context)
        }
        let p = descriptor.prepadding, a = max(descriptor.alignment, 1)
        func aligned(_ v: Int) -> Int { (v + a - 1) / a * a }
        var ph = aligned(image.h + 2 * p), pw = aligned(image.w + 2 * p)
        // Tiny inputs: grow the right/bottom padding until every layer has room.
        var tries = 0
        while (try? net.outputShape(input: BlobShape(c: 3, h: ph, w: pw))) == nil && tries < 16 {
            ph += a; pw += a; tries += 1
        }
        let out = try net.outputShape(input: BlobShape(c: 3, h: ph, w: pw))
        let oh = image.h * scale, ow = image.w * scale
        guard out.c == 3, out.h >= oh, out.w >= ow else {
            throw ModelError.badInput(model: descriptor.name,
                                      detail: "network output \(out) is smaller than \(oh)x\(ow) for input \(image.h)x\(image.w)")
        }
        var padded = Kernels.replicatePad(image, top: p, left: p, bottom: ph - image.h - p, right: pw - image.w - p)
        var y = try net.forward(input: padded, context: context)
        if padded.h != image.h || padded.w != image.w { padded.recycle() }
        if y.h == oh && y.w == ow { return y }
        defer { y.recycle() }
        return Kernels.crop(y, top: 0, left: 0, h: oh, w: ow)
    }
}
