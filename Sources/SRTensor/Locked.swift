#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a mutex: the project's one lock primitive for state shared between threads.
///
/// Thread safety: any thread; `withLock` bodies run one at a time and must not call `withLock`
/// on the same instance again (the mutex is not recursive).
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Guards `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}

extension Locked where Value == Int {
    /// The next value of a shared counter (0, 1, 2, ...), or nil once it reaches `limit`.
    public func claim(below limit: Int = .max) -> Int? {
        withLock { v in
            guard v < limit else { return nil }
            v += 1
            return v - 1
        }
    }
}
