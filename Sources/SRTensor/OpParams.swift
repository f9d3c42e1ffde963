/// Activation fused into the tail of an operator (ncnn's `activation_type` plus PReLU).
public enum Activation: Sendable, Equatable {
    /// Identity.
    case none
    /// max(x, 0).
    case relu
    /// x < 0 ? slope * x : x.
    case leakyReLU(Float)
    /// Per-channel slope (one value applies to every channel).
    case prelu([Float])
    /// min(max(x, lo), hi).
    case clip(Float, Float)
    /// 1 / (1 + exp(-x)).
    case sigmoid

    /// Applies the activation to one value of channel `ch`.
    @inlinable public func apply(_ x: Float, channel ch: Int) -> Float {
        switch self {
        case .none: return x
        case .relu: return x > 0 ? x : 0
        case .leakyReLU(let s): return x > 0 ? x : x * s
        case .prelu(let s): return x > 0 ? x : x * (s.count == 1 ? s[0] : s[ch])
        case .clip(let lo, let hi): return min(max(x, lo), hi)
        case .sigmoid: return 1 / (1 + expf(-x))
        }
    }
}

/// Geometry of a 2-D convolution or deconvolution.
///
/// Weights are laid out `[outChannels][inChannels / groups][kernelH][kernelW]` (ncnn's order,
/// for deconvolution too).
public struct ConvGeometry: Sendable, Equatable {
    public var inChannels: Int
    public var outChannels: Int
    public var kernelH: Int
    public var kernelW: Int
    public var strideH: Int = 1
    public var strideW: Int = 1
    public var dilationH: Int = 1
    public var dilationW: Int = 1
    /// Convolution: zero padding added to the input. Deconvolution: cropped from the full output.
    public var padTop: Int = 0
    public var padBottom: Int = 0
    public var padLeft: Int = 0
    public var padRight: Int = 0
    /// Value used for convolution padding (ncnn `pad_value`).
    public var padValue: Float = 0
    /// Deconvolution only: extra output rows/columns at the bottom/right (ncnn `output_pad_*`).
    public var outputPadBottom: Int = 0
    public var outputPadRight: Int = 0
    public var groups: Int = 1

    /// Creates a geometry with equal padding on every side.
    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, dilation: Int = 1,
                pad: Int = 0, groups: Int = 1) {
        self.inChannels = inChannels; self.outChannels = outChannels
        kernelH = kernel; kernelW = kernel; strideH = stride; strideW = stride
        dilationH = dilation; dilationW = dilation
        padTop = pad; padBottom = pad; padLeft = pad; padRight = pad
        self.groups = groups
    }

    /// Number of weights: outC * inC/groups * kh * kw.
    public var weightCount: Int { outChannels * (inChannels / groups) * kernelH * kernelW }

    /// Output size of a convolution over an `h x w` input.
    public func convOutputSize(h: Int, w: Int) -> (h: Int, w: Int) {
        let ekh = dilationH * (kernelH - 1) + 1, ekw = dilationW * (kernelW - 1) + 1
        return ((h + padTop + padBottom - ekh) / strideH + 1, (w + padLeft + padRight - ekw) / strideW + 1)
    }

    /// Output size of a deconvolution over an `h x w` input.
    public func deconvOutputSize(h: Int, w: Int) -> (h: Int, w: Int) {
        let ekh = dilationH * (kernelH - 1) + 1, ekw = dilationW * (kernelW - 1) + 1
        return ((h - 1) * strideH + ekh - padTop - padBottom + outputPadBottom,
                (w - 1) * strideW + ekw - padLeft - padRight + outputPadRight)
    }
}

/// Resampling kernel of `interp` (ncnn Interp `resize_type` 1, 2, 3).
public enum InterpMode: Int, Sendable {
    case nearest = 1
    case bilinear = 2
    case bicubic = 3
}

/// Element-wise binary operation (ncnn BinaryOp `op_type`).
public enum BinaryOpKind: Int, Sendable {
    case add = 0, sub = 1, mul = 2, div = 3, max = 4, min = 5, pow = 6, rsub = 7, rdiv = 8

    /// Applies the operation to a pair of values.
    @inlinable public func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        case .pow: return powf(a, b)
        case .rsub: return b - a
        case .rdiv: return b / a
        }
    }
}

/// Eltwise reduction over several same-shaped inputs (ncnn Eltwise `op_type`).
public enum EltwiseKind: Int, Sendable {
    case prod = 0, sum = 1, max = 2
}

/// Pooling kind (ncnn Pooling `pooling_type`).
public enum PoolingKind: Int, Sendable {
    case max = 0, average = 1
}

/// Geometry of a pooling window.
public struct PoolingGeometry: Sendable, Equatable {
    public var kind: PoolingKind
    public var global: Bool
    public var kernelH = 1, kernelW = 1, strideH = 1, strideW = 1
    public var padTop = 0, padBottom = 0, padLeft = 0, padRight = 0
    /// Average pooling: count padded cells in the divisor (ncnn `avgpool_count_include_pad`).
    public var countIncludePad = false
    /// How the window is padded (ncnn `pad_mode`; ncnn's default is `.full`).
    public var padMode: PoolingPadMode = .full

    /// Creates a pooling geometry; `global` pools each channel to one value.
    public init(kind: PoolingKind, global: Bool, kernel: Int = 1, stride: Int = 1, pad: Int = 0) {
        self.kind = kind; self.global = global
        kernelH = kernel; kernelW = kernel; strideH = stride; strideW = stride
        padTop = pad; padBottom = pad; padLeft = pad; padRight = pad
    }

    /// Padding actually applied to an `h x w` input, including `.full` tail padding and the
    /// computed `.sameUpper`/`.sameLower` padding.
    public func effectivePadding(h: Int, w: Int) -> (top: Int, bottom: Int, left: Int, right: Int) {
        switch padMode {
        case .valid:
            return (padTop, padBottom, padLeft, padRight)
        case .full:
            let wtail = (w + padLeft + padRight - kernelW) % strideW
            let htail = (h + padTop + padBottom - kernelH) % strideH
            return (padTop, padBottom + (htail != 0 ? strideH - htail : 0),
                    padLeft, padRight + (wtail != 0 ? strideW - wtail : 0))
        case .sameUpper, .sameLower:
            let wpad = max(kernelW + (w - 1) / strideW * strideW - w, 0)
            let hpad = max(kernelH + (h - 1) / strideH * strideH - h, 0)
            if padMode == .sameUpper { return (hpad / 2, hpad - hpad / 2, wpad / 2, wpad - wpad / 2) }
            return (hpad - hpad / 2, hpad / 2, wpad - wpad / 2, wpad / 2)
        }
    }

    /// Output size of windowed pooling over an `h x w` input.
    public func outputSize(h: Int, w: Int) -> (h: Int, w: Int) {
        if global { return (1, 1) }
        let p = effectivePadding(h: h, w: w)
        return ((h + p.top + p.bottom - kernelH) / strideH + 1, (w + p.left + p.right - kernelW) / strideW + 1)
    }
}

/// Padding rule of windowed pooling (ncnn Pooling `pad_mode`).
public enum PoolingPadMode: Int, Sendable {
    /// Explicit padding plus tail padding so the last partial window is pooled (Caffe style).
    case full = 0
    /// Explicit padding only; a trailing partial window is dropped.
    case valid = 1
    /// Computed padding, the larger half at the bottom/right (TensorFlow SAME, ONNX SAME_UPPER).
    case sameUpper = 2
    /// Computed padding, the larger half at the top/left (ONNX SAME_LOWER).
    case sameLower = 3
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Channel order of pixel shuffle (ncnn PixelShuffle `mode`).
public enum PixelShuffleMode: Int, Sendable {
    /// PyTorch `PixelShuffle`: input channel `c*r*r + i*r + j` (mode 0).
    case channelMajor = 0
    /// TensorFlow `depth_to_space`: input channel `(i*r + j)*outC + c` (mode 1).
    case offsetMajor = 1
}
