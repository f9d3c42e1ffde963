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
/// A resumable run (`segments` set) has the same stages, but the writer hands frames to the
/// `SegmentWriter` (one encoder and packet file per segment) instead of the muxer, the reader
/// sends no copied packets (`SegmentJoiner` muxes them afterwards) and, when earlier segments are
/// done, starts at `resumeFrom`: it seeks to that segment's keyframe and drops earlier frames.
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
    let runners: [TiledRunner]
    let color: ColorDescription
    /// Input streams the output leaves out (the container cannot hold them).
    private(set) var droppedStreams: Set<Int> = []
    /// True when the input ended early or had to be concealed.
    var inputDamaged: Bool { decoder.concealed > 0 || truncatedInput || muxer.skippedPackets > 0 }
    /// True when the input ended early (set by the reader, or by the join of a resumable run).
    var truncatedInput = false

    enum Event: Sendable { case frame(Int), packet(MediaPacket) }
    struct Plane: Sendable { var seq: Int; var pts: Int64; var rgb: Tensor }
    struct Ready: Sendable { var pts: Int64; var rgb: Tensor; var reused = false }

    /// The first decoded frame (its HDR metadata describes the output stream).
    let firstFrame: MediaFrame
    let sampleAspect: Rational
    /// Resumable runs: where segment packets go (nil: a single pass into the muxer).
    var segments: SegmentWriter?
    /// Resumable runs: the first segment still to do, when earlier ones are finished.
    var resumeFrom: Segment?
    /// Shard runs: reading stops at the video packet with this pts (the next shard's first
    /// keyframe, a closed-GOP cut, so every earlier frame still decodes).
    var stopBefore: Int64?

    /// Temporal reuse state (used by the engine stage only).
    let reuse: TemporalReuse

    private var prologue: [Event] = []
    private var prologueFrames: [(Int, MediaFrame)] = []
    /// The first error of any stage.
    private let firstError = Locked<Error?>(nil)

    /// Opens everything and decodes the first frame, so that bad input, impossible sizes and
    /// encoder refusals are reported before any output is created.
    init(config: VideoJobConfig, cancel: CancelFlag, notes: @escaping @Sendable (String) -> Void) throws {
        self.config = config; self.cancel = cancel; self.notes = notes
        demuxer = try Demuxer(path: config.input)
        decoder = try VideoDecoder(demuxer: demuxer, threads: 2, strict: config.strict)
        let (w, h) = demuxer.videoSize
        plan = try ScalePlan.make(model: config.model, scale: config.scale, width: config.width, height: config.height,
                                  inputWidth: w, inputHeight: h, notes: notes)
        plan.videoNotes(steps: config.tiling.steps).forEach(notes)
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
        firstFrame = first
        sampleAspect = VideoScheduler.aspect(demuxer.videoSampleAspect, input: (w, h), output: (plan.outputWidth, plan.outputHeight))
        encoder = try VideoScheduler.openEncoder(config: config, plan: plan, demuxer: demuxer, muxer: muxer, color: color,
                                                 aspect: sampleAspect, first: first, notes: notes)
        runners = try plan.runners(tiling: config.tiling, notes: notes)
        reuse = TemporalReuse(options: config.reuse)
        nextSeq = seq
    }
    private var flushedInPrologue = false
    private var nextSeq = 0


    /// Records the first error and stops every stage.
    private func fail(_ error: Error, queues: [@Sendable () -> Void]) {
        firstError.withLock { if $0 == nil { $0 = error } }
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
        let resumed = segments?.framesResumed ?? 0
        let total = segments.map { $0.framesResumed + $0.framesToDo } ?? demuxer.estimatedVideoFrames
        let snapshot = reuse.snapshot, reporting = config.reuse.mode != .off
        let progress = ProgressReporter(mode: config.progress, total: total, resumed: resumed,
                                        fields: { reporting ? TemporalReuse.jsonFields(snapshot.current) : [] })
        if segments == nil { try muxer.start(encoder: encoder, input: demuxer, firstFrame: firstFrame) }

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
        // Upscale: the tiled engine, one frame at a time with every core, frames in order (temporal
        // reuse compares each with the inputs of earlier outputs; it starts afresh at every segment,
        // so a resumed run computes what an uninterrupted one does).
        DispatchQueue(label: "upscale.engine").async(group: group) { [self] in
            do {
                var segment: Int?
                while let p = planes.pop() {
                    if cancel.isCancelled { throw PipelineError.interrupted }
                    if let plan = segments?.manifest.segments {
                        let k = plan.firstIndex { $0.contains(p.pts) }
                        if k != segment { reuse.reset(); segment = k }
                    }
                    let (rgb, reused) = try reuse.apply(plan, p.rgb, runners: runners)
                    guard ready.put(p.seq, Ready(pts: p.pts, rgb: rgb, reused: reused)) else { break }
                }
            } catch { fail(error, queues: stopAll) }
        }
        // Writer: this thread.
        var written = 0
        do {
            let converter = ColorConverter()
            var lastPTS = Int64.min
            var lastFrame: MediaFrame?
            while let event = events.pop() {
                if cancel.isCancelled { throw PipelineError.interrupted }
                switch event {
                case .packet(let p): try muxer.writeCopied(p)
                case .frame(let seq):
                    guard let r = ready.take(seq) else { break }
                    guard r.pts > lastPTS else { continue }  // a duplicate timestamp (concealment): keep the first
                    lastPTS = r.pts
                    // A reused output repeats the last one: encode the last conversion again.
                    let frame: MediaFrame
                    if r.reused, let again = lastFrame?.retimed(r.pts) {
                        frame = again
                    } else {
                        frame = try converter.frame(from: r.rgb, format: encoder.pixelFormat, width: encoder.width,
                                                    height: encoder.height, color: color, pts: r.pts)
                    }
                    lastFrame = frame
                    if let segments {
                        try segments.write(frame, pts: r.pts)
                    } else {
                        for pkt in try encoder.encode(frame) { try muxer.writeVideo(pkt) }
                    }
                    written += 1
                    progress.update(done: resumed + written)
                }
            }
        } catch { fail(error, queues: stopAll) }
        group.wait()
        if cancel.isCancelled { fail(PipelineError.interrupted, queues: []) }
        if let e = firstError.current {
            muxer.abort()
            throw e
        }
        if let segments {
            try segments.finish()
        } else {
            for pkt in try encoder.encode(nil) { try muxer.writeVideo(pkt) }
            try muxer.close()
        }
        progress.finish(done: resumed + written)
        if muxer.skippedPackets > 0 {
            notes("warning: \(muxer.skippedPackets) damaged packet\(muxer.skippedPackets == 1 ? "" : "s") of copied streams skipped")
        }
        if decoder.concealed > 0 {
            notes("warning: \(decoder.concealed) corrupt frame\(decoder.concealed == 1 ? "" : "s") concealed by repeating the previous one")
        }
        return VideoJobResult(frames: written, concealed: decoder.concealed, seconds: Date().timeIntervalSince(start),
                              plan: plan.summary, inputSize: demuxer.videoSize, outputSize: (plan.outputWidth, plan.outputHeight),
                              encoder: encoder.name, pixelFormat: encoder.formatName, auditNotes: [],
                              reusedFrames: reuse.reusedFrames, tilesRecomputed: reuse.recomputedPercent,
                              reuseSummary: reuse.report)
    }

    /// The reader stage: prologue items first, then the rest of the file.
    private func read(decoded: BoundedQueue<(Int, MediaFrame)>, events: BoundedQueue<Event>) throws {
        if cancel.isCancelled { throw PipelineError.interrupted }
        if let start = resumeFrom, let dts = start.seekDTS {
            // Resume: restart decoding at the segment's keyframe; the prologue's frames are earlier.
            prologue = []; prologueFrames = []; flushedInPrologue = false; nextSeq = 0
            decoder.flush()
            try demuxer.seekVideo(to: dts)
        }
        var frames = prologueFrames[...]
        for e in prologue {
            if case .packet = e, segments != nil { continue }  // copied when joining
            if case .frame = e, let f = frames.popFirst() { guard decoded.push(f) else { return } }
            guard events.push(e) else { return }
        }
        prologue = []; prologueFrames = []
        var seq = nextSeq
        let kept = segments == nil ? muxer.keptStreams : []  // a resumable run muxes copied streams when joining
        var window = PTSWindow()
        var skipBefore = resumeFrom?.startPTS
        func emit(_ frames: [MediaFrame]) throws -> Bool {
            for f in frames {
                if let stop = stopBefore, let p = f.pts, p >= stop { continue }
                if let s = skipBefore {
                    guard let p = f.pts, p >= s else { continue }
                    guard p == s else {
                        throw PipelineError.resumeMismatch(output: config.output, folder: segments?.folder.path ?? "",
                                                           why: "seeking in the input to pts \(s) landed at pts \(p)")
                    }
                    skipBefore = nil
                }
                window.insert(f)
            }
            while let f = window.next(flush: false) {
                guard decoded.push((seq, f)), events.push(.frame(seq)) else { return false }
                seq += 1
            }
            return true
        }
        var stopped = false
        if !flushedInPrologue {
            while let packet = demuxer.read() {
                if cancel.isCancelled { throw PipelineError.interrupted }
                if let stop = stopBefore, demuxer.isVideo(packet), let p = packet.pts, p >= stop { stopped = true; break }
                if demuxer.isVideo(packet) {
                    guard try emit(try decoder.decode(packet)) else { return }
                } else if kept.contains(packet.streamIndex) {
                    guard events.push(.packet(packet)) else { return }
                }
            }
            guard try emit(try decoder.decode(nil)) else { return }
        }
        while let f = window.next(flush: true) {
            guard decoded.push((seq, f)), events.push(.frame(seq)) else { return }
            seq += 1
        }
        truncatedInput = !stopped && (demuxer.truncated || VideoScheduler.endsEarly(demuxer))
        if truncatedInput { notes("warning: '\(config.input)' ends early (truncated?): processed what decodes") }
        decoded.finish()
        events.finish()
    }

    /// True when the container promised more than the stream held.
    static func endsEarly(_ d: Demuxer) -> Bool { d.endsBeforeDeclaredDuration }
}
