import SRMedia

/// Holds a few decoded frames so that concealed repeats (emitted in decode order) go out in
/// presentation order; frames without a timestamp get the previous one plus their duration.
struct PTSWindow {
    private var frames: [MediaFrame] = []
    private var lastPTS: Int64?
    static let depth = 8

    mutating func insert(_ f: MediaFrame) {
        if f.pts == nil { f.setPTS((frames.last?.pts ?? lastPTS ?? -1) + max(1, f.duration)) }
        frames.append(f)
        frames.sort { ($0.pts ?? 0) < ($1.pts ?? 0) }
    }

    mutating func next(flush: Bool) -> MediaFrame? {
        guard !frames.isEmpty, flush || frames.count > PTSWindow.depth else { return nil }
        let f = frames.removeFirst()
        lastPTS = f.pts
        return f
    }
}
