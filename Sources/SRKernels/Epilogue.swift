#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import SRTensor

/// Fused per-channel tail of an operator: `p[i] = act(p[i] + bias)` over one contiguous run.
enum Epilogue {
    /// Adds `bias` and applies `act` (as channel `channel`) to `count` floats at `p`, in place
    /// (C kernel, `KernelISA.best`).
    @inline(__always)
    static func apply(_ p: UnsafeMutablePointer<Float>, count: Int, bias: Float, activation act: Activation, channel: Int,
                      isa: KernelISA = .best) {
        switch act {
        case .none:
            if bias != 0 { ck_bias_act(p, count, bias, CK_ACT_NONE, 0, 0, 0, isa.cValue) }
        case .relu: ck_bias_act(p, count, bias, CK_ACT_RELU, 0, 0, 0, isa.cValue)
        case .leakyReLU(let s): ck_bias_act(p, count, bias, CK_ACT_SLOPE, s, 0, 0, isa.cValue)
        case .prelu(let slopes): ck_bias_act(p, count, bias, CK_ACT_SLOPE, slopes.count == 1 ? slopes[0] : slopes[channel], 0, 0, isa.cValue)
        case .clip(let lo, let hi): ck_bias_act(p, count, bias, CK_ACT_CLIP, 0, lo, hi, isa.cValue)
        case .sigmoid: ck_bias_act(p, count, bias, CK_ACT_SIGMOID, 0, 0, 0, isa.cValue)
        }
    }

    /// Bias of channel `ch`, or 0 when the operator has no bias.
    @inline(__always)
    static func bias(_ b: UnsafeBufferPointer<Float>, _ ch: Int) -> Float {
        b.isEmpty ? 0 : b[ch]
    }
}

/// Scratch memory owned by one kernel call: drawn from the thread's `TensorPool` when one is
/// bound (and given back when the call returns), else allocated and freed.
struct Scratch: ~Copyable {
    /// Start of the buffer.
    let base: UnsafeMutablePointer<Float>
    /// Number of floats available (at least the requested count).
    let count: Int
    /// The pool the memory came from.
    private let pool: TensorPool?

    /// Reserves at least `count` floats (at least one), uninitialized.
    init(_ count: Int) {
        pool = TensorPool.current
        if let pool {
            (base, self.count) = pool.takeRaw(count)
        } else {
            self.count = Swift.max(count, 1)
            base = UnsafeMutablePointer<Float>.allocate(capacity: self.count)
        }
    }

    deinit {
        if let pool { pool.giveRaw((base, count)) } else { base.deallocate() }
    }
}
