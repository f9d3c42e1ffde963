import Foundation
import SRMedia
import SRTensor
import SRTiling

/// The only place that knows the video pipeline's shape. Stages and threads:
///
///     reader  (demux + decode)  --decoded-->  convert  --planes-->  upscale  --reorder-->  writer
///        \------------------------------ events (frame marks, copied packets) ---------------/
///
/// * reader: demuxes every packet; video packets go to the decoder, whose frames (sequence numbers
///   in presentation order) go to `decoded`; each frame also leaves a `.frame(seq)` mark, and
///   every stream-copied packet a `.packet` event, on `events` in file order.
/// * convert: decoded frame -> float RGB with the stream's matrix and range.
/// * upscale: the tiled engine (it alone uses the cores); results go into a reorder buffer.
/// * writer (the calling thread): follows `events`; a frame mark waits for that upscaled frame,
///   converts it to the encoder's format, encodes and muxes it; packets are muxed as they come,
///   so copied streams stay interleaved with video and never pile up in memory.
///
/// Bounds: `decoded`, `planes` and the reorder buffer hold `framesInFlight` frames each; `events`
/// holds frame marks and packets. End of stream flows downstream by `finish()`; any stage that fails or sees the
/// cancel flag cancels every queue, so all threads return promptly.
final class VideoScheduler: @unchecked Sendable {
    let config: VideoJobConfig
    let cancel: CancelFlag
    let notes: @Sendable (String) -> Void
    let demuxer: Demuxer
    let decoder: VideoDecoder
    let plan: ScalePlan
    let muxer: Muxer
    let encoder: VideoEncoder
    let runners: [TiledUpscaler]
    let color: ColorDescription
    /// Input streams the output leaves out (the container cannot hold them).
    private(set) var droppedStreams: Set<Int> = []
    /// True when the input ended early or had to be concealed.
    var inputDamaged: Bool { decoder.concealed > 0 || truncatedInput || muxer.skippedPackets > 0 }
    private var truncatedInput = false

    enum Event: Sendable { case frame(Int), packet(MediaPacket) }
    struct Plane: Sendable { var seq: Int; var pts: Int64; var rgb: Tensor }
    struct Ready: Sendable { var pts: Int64; var rgb: Tensor }

    private var prologue: [Event] = []
    private var prologueFrames: [(Int, MediaFrame)] = []
    private let failure = NSLock()
    private var firstError: Error?

    /// Opens everything and decodes the first frame, so that bad input, impossible sizes and
    /// encoder refusals are reported before any output is created.
    init(config: VideoJobConfig, cancel: CancelFlag, notes: @escaping @Sendable (String) -> Void) throws {
        self.config = config; self.cancel = cancel; self.notes = notes
        demuxer = try Demuxer(path: config.input)
        decoder = try VideoDecoder(demuxer: demuxer, threads: 2, strict: config.strict)
        let (w, h) = demuxer.videoSize
        plan = try ScalePlan.make(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                  inputWidth: w, inputHeight: h, notes: notes)
        try config.encoder.checkSize(width: plan.outputWidth + plan.outputWidth % 2, height: plan.outputHeight + plan.outputHeight % 2)
        color = demuxer.videoColor
        var kept: Set<Int> = []
        muxer = try Muxer(path: config.output, input: demuxer, notes: notes)
        muxer.strict = config.strict
        muxer.faststart = config.faststart
        kept = muxer.keptStreams
        droppedStreams = Set(demuxer.streams.map(\.index)).subtracting(kept)
        // Prologue: read until the first frame decodes (or the file ends without one).
        var seq = 0
        var sawFrame: MediaFrame?
        while sawFrame == nil, let packet = demuxer.read() {
            if demuxer.isVideo(packet) {
                for f in try decoder.decode(packet) {
                    sawFrame = sawFrame ?? f
                    prologueFrames.append((seq, f)); prologue.append(.frame(seq)); seq += 1
                }
            } else if kept.contains(packet.streamIndex) {
                prologue.append(.packet(packet))
            }
        }
        if sawFrame == nil {
            for f in try decoder.decode(nil) {
                sawFrame = sawFrame ?? f
                prologueFrames.append((seq, f)); prologue.append(.frame(seq)); seq += 1
            }
            flushedInPrologue = true
        }
        guard let first = sawFrame else { throw MediaError.noFrames(path: config.input) }
        let sar = VideoScheduler.aspect(demuxer.videoSampleAspect, input: (w, h), output: (plan.outputWidth, plan.outputHeight))
        encoder = try VideoEncoder(settings: config.encoder, width: plan.outputWidth, height: plan.outputHeight,
                                   inputPixelFormat: demuxer.videoPixelFormat, timeBase: demuxer.videoStream.timeBase,
                                   frameRate: demuxer.videoFrameRate, aspect: sar, color: color,
                                   globalHeader: muxer.needsGlobalHeader,
                                   hdrParams: demuxer.hdrParameters(frame: first), threads: 2, notes: notes)
        runners = try plan.runners(tiling: config.tiling, notes: notes)
        try muxer.start(encoder: encoder, input: demuxer, firstFrame: first)
        nextSeq = seq
    }
    private var flushedInPrologue = false
    private var nextSeq = 0

    /// The sample aspect ratio that keeps the display aspect when the output is not a uniform
    /// enlargement of the input.
    static func aspect(_ sar: Rational, input: (Int, Int), output: (Int, Int)) -> Rational {
        var num = sar.num * input.0 * output.1, den = sar.den * input.1 * output.0
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = max(1, gcd(num, den))
        num /= g; den /= g
        return Rational(num, den)
    }

    /// Records the first error and stops every stage.
    private func fail(_ error: Error, queues: [@Sendable () -> Void]) {
        failure.lock()
        if firstError == nil { firstError = error }
        failure.unlock()
        queues.forEach { $0() }
    }

    /// Runs the pipeline to the end; the output is closed but not yet renamed (see `commit`).
    func run() throws -> VideoJobResult {
        let start = Date()
        let n = config.framesInFlight
        let decoded = BoundedQueue<(Int, MediaFrame)>(capacity: n)
        let planes = BoundedQueue<Plane>(capacity: n)
        let events = BoundedQueue<Event>(capacity: 256 + n)
        let ready = ReorderBuffer<Ready>(capacity: n)
        let stopAll: [@Sendable () -> Void] = [decoded.cancel, planes.cancel, events.cancel, ready.cancel]
        let group = DispatchGroup()
        let total = demuxer.estimatedVideoFrames
        let progress = ProgressReporter(mode: config.progress, total: total)

        // Reader: demux + decode.
        DispatchQueue(label: "upscale.reader").async(group: group) { [self] in
            do { try read(decoded: decoded, events: events) } catch { fail(error, queues: stopAll) }
        }
        // Convert: decoded frame -> float RGB.
        DispatchQueue(label: "upscale.convert").async(group: group) { [self] in
            let converter = ColorConverter()
            do {
                while let (seq, frame) = decoded.pop() {
                    let rgb = try converter.rgb(from: frame, color: color)
                    guard planes.push(Plane(seq: seq, pts: frame.pts ?? 0, rgb: rgb)) else { break }
                }
                planes.finish()
            } catch { fail(error, queues: stopAll) }
        }
        // Upscale: the tiled engine, one frame at a time with every core.
        DispatchQueue(label: "upscale.engine").async(group: group) { [self] in
            do {
                while let p = planes.pop() {
                    if cancel.isCancelled { throw PipelineError.interrupted }
                    guard ready.put(p.seq, Ready(pts: p.pts, rgb: try plan.apply(p.rgb, runners: runners))) else { break }
                }
            } catch { fail(error, queues: stopAll) }
        }
        // Writer: this thread.
        var written = 0
        do {
            let converter = ColorConverter()
            var lastPTS = Int64.min
            while let event = events.pop() {
                if cancel.isCancelled { throw PipelineError.interrupted }
                switch event {
                case .packet(let p): try muxer.writeCopied(p)
                case .frame(let seq):
                    guard let r = ready.take(seq) else { break }
                    guard r.pts > lastPTS else { continue }  // a duplicate timestamp (concealment): keep the first
                    lastPTS = r.pts
                    let frame = try converter.frame(from: r.rgb, format: encoder.pixelFormat, width: encoder.width,
                                                    height: encoder.height, color: color, pts: r.pts)
                    for pkt in try encoder.encode(frame) { try muxer.writeVideo(pkt) }
                    written += 1
                    progress.update(done: written)
                }
            }
        } catch { fail(error, queues: stopAll) }
        group.wait()
        if cancel.isCancelled && firstError == nil { firstError = PipelineError.interrupted }
        if let e = firstError {
            muxer.abort()
            throw e
        }
        for pkt in try encoder.encode(nil) { try muxer.writeVideo(pkt) }
        try muxer.close()
        progress.finish(done: written)
        if muxer.skippedPackets > 0 {
            notes("warning: \(muxer.skippedPackets) damaged packet\(muxer.skippedPackets == 1 ? "" : "s") of copied streams skipped")
        }
        if decoder.concealed > 0 {
            notes("warning: \(decoder.concealed) corrupt frame\(decoder.concealed == 1 ? "" : "s") concealed by repeating the previous one")
        }
        return VideoJobResult(frames: written, concealed: decoder.concealed, seconds: Date().timeIntervalSince(start),
                              plan: plan.summary, inputSize: demuxer.videoSize, outputSize: (plan.outputWidth, plan.outputHeight),
                              encoder: encoder.name, pixelFormat: encoder.formatName, auditNotes: [])
    }

    /// The reader stage: prologue items first, then the rest of the file.
    private func read(decoded: BoundedQueue<(Int, MediaFrame)>, events: BoundedQueue<Event>) throws {
        if cancel.isCancelled { throw PipelineError.interrupted }
        var frames = prologueFrames[...]
        for e in prologue {
            if case .frame = e, let f = frames.popFirst() { guard decoded.push(f) else { return } }
            guard events.push(e) else { return }
        }
        prologue = []; prologueFrames = []
        var seq = nextSeq
        let kept = muxer.keptStreams
        var window = PTSWindow()
        func emit(_ frames: [MediaFrame]) -> Bool {
            for f in frames { window.insert(f) }
            while let f = window.next(flush: false) {
                guard decoded.push((seq, f)), events.push(.frame(seq)) else { return false }
                seq += 1
            }
            return true
        }
        if !flushedInPrologue {
            while let packet = demuxer.read() {
                if cancel.isCancelled { throw PipelineError.interrupted }
                if demuxer.isVideo(packet) {
                    guard emit(try decoder.decode(packet)) else { return }
                } else if kept.contains(packet.streamIndex) {
                    guard events.push(.packet(packet)) else { return }
                }
            }
            guard emit(try decoder.decode(nil)) else { return }
        }
        while let f = window.next(flush: true) {
            guard decoded.push((seq, f)), events.push(.frame(seq)) else { return }
            seq += 1
        }
        truncatedInput = demuxer.truncated || VideoScheduler.endsEarly(demuxer)
        if truncatedInput { notes("warning: '\(config.input)' ends early (truncated?): processed what decodes") }
        decoded.finish()
        events.finish()
    }

    /// True when the container promised more than the stream held.
    static func endsEarly(_ d: Demuxer) -> Bool { d.endsBeforeDeclaredDuration }
}

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
