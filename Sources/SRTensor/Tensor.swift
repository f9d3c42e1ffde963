/// A dense Float32 tensor in NCHW layout (batch, channels, height, width), row-major.
///
/// Value semantics: `data` is a Swift array, so copies are cheap until written (copy on write).
/// A tensor is `Sendable`; it can be handed between Dispatch workers freely.
/// One-dimensional ncnn blobs (InnerProduct outputs, per-channel scales) are stored as
/// `c x 1 x 1` tensors.
public struct Tensor: Sendable, Equatable {
    /// Batch size.
    public var n: Int
    /// Channel count.
    public var c: Int
    /// Height in pixels.
    public var h: Int
    /// Width in pixels.
    public var w: Int
    /// The elements, `n * c * h * w` of them, in NCHW order.
    public var data: [Float]

    /// Creates a tensor filled with `value`.
    public init(n: Int = 1, c: Int, h: Int, w: Int, repeating value: Float = 0) {
        precondition(n >= 0 && c >= 0 && h >= 0 && w >= 0, "negative tensor dimension")
        self.n = n; self.c = c; self.h = h; self.w = w
        self.data = [Float](repeating: value, count: n * c * h * w)
    }

    /// Wraps existing data; `data.count` must equal `n * c * h * w`.
    public init(n: Int = 1, c: Int, h: Int, w: Int, data: [Float]) {
        precondition(data.count == n * c * h * w, "tensor data count \(data.count) != \(n)x\(c)x\(h)x\(w)")
        self.n = n; self.c = c; self.h = h; self.w = w
        self.data = data
    }

    /// Number of elements.
    @inlinable public var count: Int { n * c * h * w }
    /// Elements in one channel plane (`h * w`).
    @inlinable public var planeSize: Int { h * w }
    /// The shape as `[n, c, h, w]`.
    public var shape: [Int] { [n, c, h, w] }
    /// A short shape string such as `1x3x64x96`, for messages.
    public var shapeDescription: String { "\(n)x\(c)x\(h)x\(w)" }

    /// Flat index of element (b, ch, y, x).
    @inlinable public func index(_ b: Int, _ ch: Int, _ y: Int, _ x: Int) -> Int {
        ((b * c + ch) * h + y) * w + x
    }

    /// Element access by (batch, channel, row, column).
    @inlinable public subscript(b: Int, ch: Int, y: Int, x: Int) -> Float {
        get { data[index(b, ch, y, x)] }
        set { data[index(b, ch, y, x)] = newValue }
    }

    /// Element access for single-image tensors (batch 0).
    @inlinable public subscript(ch: Int, y: Int, x: Int) -> Float {
        get { data[index(0, ch, y, x)] }
        set { data[index(0, ch, y, x)] = newValue }
    }

    /// True when both tensors have the same n, c, h, w.
    public func sameShape(as other: Tensor) -> Bool {
        n == other.n && c == other.c && h == other.h && w == other.w
    }

    /// Largest absolute element-wise difference to `other` (shapes must match).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(sameShape(as: other), "shape \(shapeDescription) != \(other.shapeDescription)")
        var m: Float = 0
        for i in 0..<data.count { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }

    /// Mean absolute element-wise difference to `other` (shapes must match).
    public func meanAbsDifference(_ other: Tensor) -> Float {
        precondition(sameShape(as: other), "shape \(shapeDescription) != \(other.shapeDescription)")
        var sum: Float = 0
        for i in 0..<data.count { sum += abs(data[i] - other.data[i]) }
        return data.isEmpty ? 0 : sum / Float(data.count)
    }

    /// Clamps every element to `lower...upper` (default 0...1, the range of pixels).
    public mutating func clamp(_ lower: Float = 0, _ upper: Float = 1) {
        data.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = Swift.min(Swift.max(p[i], lower), upper) }
        }
    }

    /// One image of a batch as its own tensor.
    public func image(_ b: Int) -> Tensor {
        let size = c * h * w
        return Tensor(c: c, h: h, w: w, data: Array(data[(b * size)..<((b + 1) * size)]))
    }
}
