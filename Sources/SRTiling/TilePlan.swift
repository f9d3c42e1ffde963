/// How a frame is cut into tiles: a pure value, computed once per frame size.
///
/// Along each axis the frame is covered by *cores* (the input pixels a tile is responsible for)
/// of at most `tile` pixels; neighbouring cores overlap by `overlap` pixels, where their outputs
/// are blended with a linear ramp whose weights sum to one. Each core is widened by
/// `pad` pixels of real neighbouring context on every side (clipped at the frame's true border,
/// where the model sees exactly what a whole-frame run sees); the widened window starts on a
/// multiple of `alignment` so that networks with strided layers see the same sampling grid as
/// on the whole frame. After inference the context is cropped away.
public struct TilePlan: Sendable, Equatable {
    /// One tile: the context window fed to the model and the core it contributes.
    public struct Tile: Sendable, Equatable {
        /// Index in row-major order.
        public var index: Int
        /// Window fed to the model, in input pixels: origin and size.
        public var window: Rect
        /// The core (before overlap trimming), in input pixels.
        public var core: Rect
        /// Position in the tile grid.
        public var column: Int, row: Int
    }

    /// An axis-aligned rectangle in pixels.
    public struct Rect: Sendable, Equatable {
        public var x: Int, y: Int, width: Int, height: Int
        /// Creates a rectangle.
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
    }

    /// Frame size in input pixels.
    public let width: Int, height: Int
    /// Requested core size (0 = whole frame), overlap and context padding, in input pixels.
    public let tileSize: Int, overlap: Int, pad: Int
    /// Window start alignment.
    public let alignment: Int
    /// Core ranges along x and y: (start, length).
    public let columns: [Range<Int>], rows: [Range<Int>]
    /// Every tile, row-major.
    public let tiles: [Tile]

    /// Plans tiles for a `width x height` frame. `tile` 0 (or larger than the frame) means one tile.
    public init(width: Int, height: Int, tile: Int, overlap: Int, pad: Int, alignment: Int = 1) {
        precondition(width > 0 && height > 0, "empty frame")
        self.width = width; self.height = height
        self.tileSize = tile; self.overlap = max(0, overlap); self.pad = max(0, pad)
        self.alignment = max(1, alignment)
        columns = TilePlan.split(length: width, tile: tile, overlap: self.overlap)
        rows = TilePlan.split(length: height, tile: tile, overlap: self.overlap)
        var tiles: [Tile] = []
        for (r, ry) in rows.enumerated() {
            for (c, cx) in columns.enumerated() {
                let (wx, ww) = TilePlan.window(core: cx, length: width, pad: self.pad, alignment: self.alignment)
                let (wy, wh) = TilePlan.window(core: ry, length: height, pad: self.pad, alignment: self.alignment)
                tiles.append(Tile(index: tiles.count,
                                  window: Rect(x: wx, y: wy, width: ww, height: wh),
                                  core: Rect(x: cx.lowerBound, y: ry.lowerBound, width: cx.count, height: ry.count),
                                  column: c, row: r))
            }
        }
        self.tiles = tiles
    }

    /// Splits `0..<length` into near-equal cores of at most `tile` that overlap by `overlap`.
    static func split(length: Int, tile: Int, overlap: Int) -> [Range<Int>] {
        guard tile > 0, tile < length else { return [0..<length] }
        // At most a third of the tile, so no pixel is covered by three cores along an axis.
        let ov = min(overlap, tile / 3)
        let step = tile - ov
        let count = max(1, Int((Double(length - ov) / Double(step)).rounded(.up)))
        // Distribute the span so cores differ by at most one pixel.
        let total = length + (count - 1) * ov
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 0..<count {
            let size = total / count + (i < total % count ? 1 : 0)
            let end = min(start + size, length)
            ranges.append(start..<end)
            start = end - ov
        }
        return ranges
    }

    /// The context window around a core: `pad` on each side, clipped, start aligned down.
    static func window(core: Range<Int>, length: Int, pad: Int, alignment: Int) -> (Int, Int) {
        var start = max(0, core.lowerBound - pad)
        start -= start % alignment
        let end = min(length, core.upperBound + pad)
        return (start, end - start)
    }

    /// Blend weight along one axis for output position `o` (in output pixels) of core `i` of
    /// `cores`, at `scale`: 1 inside, a linear ramp across each overlap with a neighbour,
    /// the neighbour's weight being one minus this one.
    public static func axisWeight(_ o: Int, core i: Int, of cores: [Range<Int>], scale: Int) -> Float {
        var w: Float = 1
        if i > 0 {
            let lo = cores[i].lowerBound * scale, hi = cores[i - 1].upperBound * scale
            if o < hi { w *= ramp(o - lo, length: hi - lo) }
        }
        if i + 1 < cores.count {
            let lo = cores[i + 1].lowerBound * scale, hi = cores[i].upperBound * scale
            if o >= lo { w *= 1 - ramp(o - lo, length: hi - lo) }
        }
        return w
    }

    /// Rising linear weight for position `t` of `length` (0 < w < 1, `w(t) + w(L-1-t) = 1`).
    ///
    /// Linear rather than raised-cosine: where a tile's border error differs from its
    /// neighbour's, a linear ramp spreads the difference evenly over the blend zone, while a
    /// raised cosine concentrates it (up to pi/2 times steeper) at the zone's centre line.
    static func ramp(_ t: Int, length: Int) -> Float {
        guard length > 0 else { return 1 }
        return Float((Double(t) + 0.5) / Double(length))
    }
}

#if canImport(Glibc)
import Glibc
#endif
