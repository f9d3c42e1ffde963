#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-worker free list of tensor storage and raw scratch buffers, so that a worker running the
/// same tile shape again and again allocates nothing in the steady state.
///
/// Threading: a pool belongs to one thread at a time. A worker binds it with `bind(_:)`; while
/// bound, `Tensor.pooled` and kernel scratch draw from it and `NCNNNet.forward` gives released
/// activations back. Unbound threads allocate as usual. Safety does not depend on the pool:
/// storage handed out is a Swift array, so if a recycled array is still shared, writing it copies
/// (copy on write) and the other holder is unaffected; the cost is one allocation, not a bug.
///
/// Memory: only storage the pool itself lent is taken back (a filter's own output given to
/// `recycle` is simply freed), and at most `limit` free entries of each kind are kept (the
/// smallest go first): the pool holds about one forward pass's working set.
public final class TensorPool: @unchecked Sendable {
    /// Free arrays, oldest first.
    private var arrays: [[Float]] = []
    /// Free raw buffers (start, capacity in floats), oldest first.
    private var raws: [(UnsafeMutablePointer<Float>, Int)] = []
    /// Free entries kept of each kind.
    public let limit: Int
    /// Requests that had to allocate fresh memory (arrays and raw buffers together).
    public private(set) var misses = 0
    /// Requests served from the free lists.
    public private(set) var hits = 0
    /// Start addresses of the arrays this pool allocated (lent or free).
    private var known = Set<UnsafeRawPointer>()

    /// Creates an empty pool keeping at most `limit` free entries of each kind.
    public init(limit: Int = 48) { self.limit = max(1, limit) }

    deinit { for (p, _) in raws { p.deallocate() } }

    /// An array of exactly `count` floats with unspecified contents (reused when one fits).
    public func takeArray(_ count: Int) -> [Float] {
        guard let i = bestFit(arrays.lazy.map(\.capacity), count) else {
            misses += 1
            let a = [Float](repeating: 0, count: count)
            if known.count > 8 * limit {  // addresses of arrays that left for good (frame outputs)
                known = Set(arrays.compactMap(TensorPool.base))
            }
            if let base = TensorPool.base(a) { known.insert(base) }
            return a
        }
        hits += 1
        var a = arrays.remove(at: i)
        if a.count > count {
            a.removeLast(a.count - count)
        } else if a.count < count {
            a.append(contentsOf: repeatElement(0, count: count - a.count))
        }
        return a
    }

    /// Where an array's elements live (nil when empty).
    private static func base(_ a: [Float]) -> UnsafeRawPointer? {
        a.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    /// Gives an array's storage back for reuse.
    public func recycle(_ a: consuming [Float]) {
        guard a.capacity > 0, let base = TensorPool.base(a), known.contains(base) else { return }
        arrays.append(a)
        if arrays.count > limit, let i = arrays.indices.min(by: { arrays[$0].capacity < arrays[$1].capacity }) {
            if let b = TensorPool.base(arrays.remove(at: i)) { known.remove(b) }
        }
    }

    /// Gives a tensor's storage back for reuse; the tensor is left empty.
    public func recycle(_ t: inout Tensor) {
        let data = t.data
        t = Tensor(c: 0, h: 0, w: 0)
        recycle(data)
    }

    /// Raw uninitialized memory for at least `count` floats; return it with `giveRaw`.
    public func takeRaw(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let want = max(count, 1)
        if let i = bestFit(raws.lazy.map(\.1), want) {
            hits += 1
            return raws.remove(at: i)
        }
        misses += 1
        return (UnsafeMutablePointer<Float>.allocate(capacity: want), want)
    }

    /// Returns raw memory obtained from `takeRaw`.
    public func giveRaw(_ buffer: (UnsafeMutablePointer<Float>, Int)) {
        raws.append(buffer)
        if raws.count > limit, let i = raws.indices.min(by: { raws[$0].1 < raws[$1].1 }) {
            raws.remove(at: i).0.deallocate()
        }
    }

    /// Index of the smallest capacity that holds `count` (nil: none does).
    private func bestFit<C: Collection>(_ capacities: C, _ count: Int) -> Int? where C.Element == Int, C.Index == Int {
        var best: Int?
        for (i, c) in zip(capacities.indices, capacities) where c >= count {
            if best.map({ c < capacities[$0] }) ?? true { best = i }
            if c == count { break }
        }
        return best
    }

    /// Runs `body` with this pool bound to the current thread (restoring the previous binding).
    public func bind<R>(_ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(TensorPool.key)
        pthread_setspecific(TensorPool.key, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(TensorPool.key, previous) }
        return try withExtendedLifetime(self) { try body() }
    }

    /// The pool bound to the current thread, if any.
    public static var current: TensorPool? {
        pthread_getspecific(key).map { Unmanaged<TensorPool>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()
}

extension Tensor {
    /// A tensor whose every element the caller will write: storage comes from the thread's pool
    /// when one is bound (contents unspecified), else it is freshly allocated (zeros).
    public static func pooled(n: Int = 1, c: Int, h: Int, w: Int) -> Tensor {
        let count = n * c * h * w
        guard let pool = TensorPool.current, count > 0 else { return Tensor(n: n, c: c, h: h, w: w) }
        return Tensor(n: n, c: c, h: h, w: w, data: pool.takeArray(count))
    }

    /// A copy about to be written in place: its storage comes from the thread's pool when one is
    /// bound; otherwise the tensor itself (copy on write copies it at the first write).
    public func pooledCopy() -> Tensor {
        guard TensorPool.current != nil, count > 0 else { return self }
        var out = Tensor.pooled(n: n, c: c, h: h, w: w)
        out.data.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in
                guard let op = o.baseAddress, let ip = i.baseAddress else { return }
                op.update(from: ip, count: count)
            }
        }
        return out
    }

    /// Gives this tensor's storage to the thread's pool (if one is bound) and leaves it empty.
    public mutating func recycle() {
        TensorPool.current?.recycle(&self)
    }
}

/// A set of pools shared by the workers of one engine: each worker checks one out for a run.
///
/// Thread-safe: `withPool` may be called from any number of threads at once; each call gets a
/// pool no other call holds, bound to its thread for the duration of `body`.
public final class TensorPoolSet: Sendable {
    /// Pools not checked out, and how many were created (at most the number of concurrent callers).
    private let state = Locked((free: [TensorPool](), created: 0))

    /// Creates an empty set.
    public init() {}

    /// Pools created so far.
    public var created: Int { state.withLock { $0.created } }

    /// Runs `body` with a pool of this set bound to the current thread.
    public func withPool<R>(_ body: () throws -> R) rethrows -> R {
        let pool = state.withLock { s -> TensorPool in
            if let p = s.free.popLast() { return p }
            s.created += 1
            return TensorPool()
        }
        defer { state.withLock { $0.free.append(pool) } }
        return try pool.bind(body)
    }

    /// Fresh allocations made by all pools of this set (for tests and benchmarks).
    public var misses: Int { state.withLock { $0.free.reduce(0) { $0 + $1.misses } } }
}
