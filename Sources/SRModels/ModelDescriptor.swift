/// Everything known about one pretrained model before loading it: name, family, scale, files and
/// the input convention its outputs were made with.
public struct ModelDescriptor: Sendable, Equatable {
    /// The model name users type, e.g. `realesr-animevideov3-x2`.
    public let name: String
    /// The family name, e.g. `realesr-animevideov3` or `waifu2x-cunet`.
    public let family: String
    /// Human-readable architecture, e.g. `SRVGGNetCompact (ncnn)`.
    public let architecture: String
    /// Enlargement factor (1 for denoise-only models).
    public let scale: Int
    /// waifu2x denoise level 0...3, or nil.
    public let noiseLevel: Int?
    /// Path of the `.param` file.
    public let paramPath: String
    /// Path of the `.bin` file.
    public let binPath: String
    /// A safetensors weight file written by `upscale train` (then the ncnn paths are unused).
    public let weightsPath: String?
    /// Edge-replicated pixels added on every side before the network (the network consumes them).
    public let prepadding: Int
    /// The padded input height and width must be multiples of this (extra padding at right/bottom).
    public let alignment: Int

    /// True for the models compiled into the binary (`BuiltinModels`).
    public var isBuiltin: Bool { weightsPath?.hasPrefix(BuiltinModels.scheme) ?? false }

    /// Creates a descriptor.
    public init(name: String, family: String, architecture: String, scale: Int, noiseLevel: Int? = nil,
                paramPath: String, binPath: String, weightsPath: String? = nil, prepadding: Int = 0, alignment: Int = 1) {
        self.name = name; self.family = family; self.architecture = architecture; self.scale = scale
        self.noiseLevel = noiseLevel; self.paramPath = paramPath; self.binPath = binPath; self.weightsPath = weightsPath
        self.prepadding = prepadding; self.alignment = alignment
    }
}

/// A group of related models (same architecture and input convention).
public struct ModelFamily: Sendable, Equatable {
    /// Family name, e.g. `waifu2x-cunet`.
    public let name: String
    /// Architecture description.
    public let architecture: String
    /// The models in this family.
    public let variants: [ModelVariant]
    /// What input the family is for, in a few words (shown by `upscale models list`).
    public let use: String
    /// The family whose variants supply the factors this one lacks in a chain (a cascade: the
    /// diffusion family runs last, after a fast regression pass), or nil.
    public let cascade: String?

    /// Creates a family.
    public init(name: String, architecture: String, use: String = "", variants: [ModelVariant], cascade: String? = nil) {
        self.name = name; self.architecture = architecture; self.use = use; self.variants = variants; self.cascade = cascade
    }

    /// Scales offered by the family.
    public var scales: [Int] { Array(Set(variants.map(\.scale))).sorted() }
}

/// One model of a family: its name, scale, noise level and input convention.
public struct ModelVariant: Sendable, Equatable {
    /// Model name, also the file stem in the models folder.
    public let name: String
    /// Enlargement factor.
    public let scale: Int
    /// waifu2x denoise level, or nil.
    public let noise: Int?
    /// Edge-replicated pixels added on every side.
    public let prepadding: Int
    /// Padded size multiple.
    public let alignment: Int

    /// Creates a variant.
    public init(_ name: String, scale: Int, noise: Int? = nil, prepadding: Int = 0, alignment: Int = 1) {
        self.name = name; self.scale = scale; self.noise = noise; self.prepadding = prepadding; self.alignment = alignment
    }
}
