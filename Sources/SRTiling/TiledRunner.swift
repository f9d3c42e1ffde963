import Foundation
import SRKernels
import SRTensor

/// Runs an upscaling function tile by tile over a frame and blends the tiles into one output.
///
/// Threading: `upscale` runs up to `workers` tiles at once on Dispatch's concurrent pool; the
/// function `model` must be safe to call concurrently (LoadedModel is). Each call gets `context`:
/// the threads one tile may use inside its kernels (the runner's own, not a process setting). The output is accumulated
/// under a lock, tile by tile, each tile's contribution weighted by the plan's blend ramps.
/// The first error thrown by any tile stops the remaining tiles and is rethrown.
public struct TiledRunner: Sendable {
    /// The upscaling function: input `1 x C x h x w` -> `1 x C x (h*scale) x (w*scale)`, run with
    /// the given execution context.
    public typealias Model = @Sendable (Tensor, ExecutionContext) throws -> Tensor

    /// Enlargement factor of `model`.
    public let scale: Int
    /// Tile core size in input pixels (0 = whole frame).
    public let tile: Int
    /// Overlap between neighbouring cores, in input pixels.
    public let overlap: Int
    /// Context padding per side, in input pixels.
    public let pad: Int
    /// Window alignment the model needs (e.g. 4 for networks with two stride-2 layers).
    public let alignment: Int
    /// Tiles processed at once.
    public let workers: Int
    /// How each tile runs its kernels (threads inside one tile, GEMM split, Winograd, ISA).
    public let context: ExecutionContext
    /// Threads per GEMM of one tile (for reports).
    public var blasThreads: Int { context.blasThreads }
    let model: Model
    /// Per-worker scratch: activations, im2col columns and tile buffers are reused from tile to
    /// tile and frame to frame, so the steady state allocates only each frame's output.
    public let pools = TensorPoolSet()

    /// Creates a tiled runner around `model`.
    public init(scale: Int, tile: Int, overlap: Int, pad: Int, alignment: Int = 1, workers: Int = 1,
                context: ExecutionContext = .serial, model: @escaping Model) {
        self.scale = scale; self.tile = tile; self.overlap = overlap; self.pad = pad
        self.alignment = alignment; self.workers = max(1, workers); self.context = context; self.model = model
    }

    /// The plan used for a frame of this size.
    public func plan(width: Int, height: Int) -> TilePlan {
        TilePlan(width: width, height: height, tile: tile, overlap: overlap, pad: pad, alignment: alignment)
    }

    /// Upscales `frame` (`1 x C x H x W`) tile by tile.
    public func upscale(_ frame: Tensor) throws -> Tensor {
        let plan = plan(width: frame.w, height: frame.h)
        if plan.tiles.count == 1 {
            return try pools.withPool { try checked(model(frame, self.context), window: plan.tiles[0].window) }
        }
        let acc = Accumulator(Tensor(c: frame.c, h: frame.h * scale, w: frame.w * scale))
        let scale = self.scale, pools = self.pools, context = self.context
        DispatchQueue.concurrentPerform(iterations: min(workers, plan.tiles.count)) { _ in
            pools.withPool {
                while let t = acc.nextTile(of: plan.tiles.count) {
                    let tile = plan.tiles[t]
                    do {
                        let win = tile.window
                        var input = Kernels.crop(frame, top: win.y, left: win.x, h: win.height, w: win.width)
                        var out = try checked(model(input, context.at(x: win.x, y: win.y)), window: win)
                        input.recycle()
                        acc.blend(out, tile: tile, plan: plan, scale: scale)
                        out.recycle()
                    } catch {
                        acc.fail(error)
                    }
                }
            }
        }
        return try acc.result()
    }

    /// Upscales each window of `frame` on its own (no blending), up to `workers` at once; the
    /// outputs are in the order of `windows`. Used by temporal reuse to recompute changed regions.
    public func upscaleWindows(_ frame: Tensor, windows: [TilePlan.Rect]) throws -> [Tensor] {
        let results = Locked([Tensor?](repeating: nil, count: windows.count))
        let failure = Locked<Error?>(nil), next = Locked(0)
        let pools = self.pools, context = self.context
        DispatchQueue.concurrentPerform(iterations: min(workers, windows.count)) { _ in
            pools.withPool {
                while failure.current == nil, let k = next.claim(below: windows.count) {
                    let win = windows[k]
                    do {
                        var input = Kernels.crop(frame, top: win.y, left: win.x, h: win.height, w: win.width)
                        let out = try checked(model(input, context.at(x: win.x, y: win.y)), window: win)
                        input.recycle()
                        results.withLock { $0[k] = out }
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
        if let e = failure.current { throw e }
        return results.current.compactMap { $0 }
    }

    /// Verifies the model kept its promise about the output size.
    func checked(_ out: Tensor, window: TilePlan.Rect) throws -> Tensor {
        guard out.h == window.height * scale, out.w == window.width * scale else {
            throw TilingError.badModelOutput(expected: (window.width * scale, window.height * scale), got: (out.w, out.h))
        }
        return out
    }
}

/// Errors of the tiling module.
public enum TilingError: UserFacingError {
    /// The model returned a size other than scale x input.
    case badModelOutput(expected: (Int, Int), got: (Int, Int))
    /// A tile option is out of range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .badModelOutput(let e, let g):
            return "model produced \(g.0)x\(g.1) for a tile that should give \(e.0)x\(e.1)"
        case .invalidOption(let m): return m
        }
    }
}

/// The shared output of a tiled run: work queue, blend target and first error, behind one lock.
final class Accumulator: Sendable {
    private struct State { var output: Tensor; var next = 0; var error: Error? }
    private let state: Locked<State>

    init(_ output: Tensor) { state = Locked(State(output: output)) }

    /// The next tile index to process, or nil when done or failed.
    func nextTile(of count: Int) -> Int? {
        state.withLock { st in
            guard st.error == nil, st.next < count else { return nil }
            st.next += 1
            return st.next - 1
        }
    }

    /// Records the first failure; the remaining tiles are skipped.
    func fail(_ e: Error) {
        state.withLock { if $0.error == nil { $0.error = e } }
    }

    /// Adds the tile's core, weighted by the blend ramps, into the output.
    func blend(_ tileOut: Tensor, tile: TilePlan.Tile, plan: TilePlan, scale s: Int) {
        let core = tile.core, win = tile.window
        let x0 = core.x * s, x1 = (core.x + core.width) * s
        let y0 = core.y * s, y1 = (core.y + core.height) * s
        let wx = (x0..<x1).map { TilePlan.axisWeight($0, core: tile.column, of: plan.columns, scale: s) }
        let wy = (y0..<y1).map { TilePlan.axisWeight($0, core: tile.row, of: plan.rows, scale: s) }
        state.withLock { st in
            let ow = st.output.w, oh = st.output.h, oc = st.output.c, tw = tileOut.w, th = tileOut.h
            st.output.data.withUnsafeMutableBufferPointer { o in
                tileOut.data.withUnsafeBufferPointer { t in
                    for ch in 0..<oc {
                        for y in y0..<y1 {
                            let w = wy[y - y0]
                            let orow = (ch * oh + y) * ow, trow = (ch * th + (y - win.y * s)) * tw - win.x * s
                            for x in x0..<x1 { o[orow + x] += w * wx[x - x0] * t[trow + x] }
                        }
                    }
                }
            }
        }
    }

    /// The blended output, or the first error.
    func result() throws -> Tensor {
        try state.withLock { st in
            if let error = st.error { throw error }
            return st.output
        }
    }
}
