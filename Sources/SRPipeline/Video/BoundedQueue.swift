import Foundation

/// A blocking FIFO of at most `capacity` items between two pipeline stages.
///
/// End of stream: the producer calls `finish()` after its last item; `pop()` then drains what is
/// left and returns nil. Either end may `cancel()`: every waiting `push` and `pop` returns at once
/// (push -> false, pop -> nil) and later calls do the same, so a failing stage stops the others.
/// Thread safety: any number of producers and consumers.
public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private let condition = NSCondition()
    private var finished = false
    private var cancelled = false

    /// Creates a queue holding at most `capacity` (>= 1) items.
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Items waiting.
    public var count: Int {
        condition.lock(); defer { condition.unlock() }
        return items.count - head
    }

    /// Adds an item, waiting while the queue is full; false when the queue was cancelled or finished.
    @discardableResult
    public func push(_ item: Element) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled && !finished { condition.wait() }
        guard !cancelled, !finished else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting while the queue is empty; nil at the end or after cancel.
    public func pop() -> Element? {
        condition.lock(); defer { condition.unlock() }
        while items.count - head == 0 && !finished && !cancelled { condition.wait() }
        guard !cancelled, items.count - head > 0 else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        condition.broadcast()
        return item
    }

    /// Marks the end of the stream (the producer's last call).
    public func finish() {
        condition.lock(); finished = true; condition.broadcast(); condition.unlock()
    }

    /// Stops both ends now; waiting and later calls return at once.
    public func cancel() {
        condition.lock(); cancelled = true; items.removeAll(); head = 0; condition.broadcast(); condition.unlock()
    }

    /// True after `cancel()`.
    public var isCancelled: Bool {
        condition.lock(); defer { condition.unlock() }
        return cancelled
    }
}

/// Puts items that finish out of order back in sequence: `put` in any order, `take(seq)` waits
/// for exactly that sequence number (taken in increasing order, starting at 0).
///
/// Bound: `put` waits while `capacity` items are pending, unless it brings the very item `take`
/// needs next (so out-of-order producers can never deadlock the consumer).
/// Thread safety: any threads; `cancel()` releases waiting `put` and `take` calls.
public final class ReorderBuffer<Element: Sendable>: @unchecked Sendable {
    private var pending: [Int: Element] = [:]
    private let condition = NSCondition()
    private var cancelled = false
    private var next = 0
    private let capacity: Int

    /// Creates an empty buffer holding at most `capacity` (>= 1) pending items.
    public init(capacity: Int = .max) { self.capacity = max(1, capacity) }

    /// Stores item `seq`, waiting while the buffer is full; false after `cancel()`.
    @discardableResult
    public func put(_ seq: Int, _ item: Element) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while pending.count >= capacity && seq != next && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        pending[seq] = item
        condition.broadcast()
        return true
    }

    /// Waits for item `seq` and removes it; nil after `cancel()`.
    public func take(_ seq: Int) -> Element? {
        condition.lock(); defer { condition.unlock() }
        while pending[seq] == nil && !cancelled { condition.wait() }
        guard !cancelled else { return nil }
        next = seq + 1
        condition.broadcast()
        return pending.removeValue(forKey: seq)
    }

    /// Items waiting to be taken.
    public var count: Int { condition.lock(); defer { condition.unlock() }; return pending.count }

    /// Releases waiting and later `put` and `take` calls.
    public func cancel() {
        condition.lock(); cancelled = true; pending.removeAll(); condition.broadcast(); condition.unlock()
    }
}
