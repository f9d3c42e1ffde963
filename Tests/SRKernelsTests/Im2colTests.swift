import SRKernels
import SRTensor
import XCTest

/// `ConvGeometry.im2col` / `col2im` against naive twins, on odd sizes, strides, dilations,
/// asymmetric padding, pad values and row blocks; and col2im as the adjoint of im2col.
final class Im2colTests: XCTestCase {
    /// The column matrix entry by entry: tap row `(ic, ky, kx)`, output pixel column, padValue outside.
    private func referenceIm2col(_ x: [Float], _ g: ConvGeometry, h: Int, w: Int, rows: Range<Int>, ow: Int) -> [Float] {
        var col: [Float] = []
        for ic in 0..<(g.inChannels / g.groups) { for ky in 0..<g.kernelH { for kx in 0..<g.kernelW {
            for oy in rows { for ox in 0..<ow {
                let iy = oy * g.strideH + ky * g.dilationH - g.padTop, ix = ox * g.strideW + kx * g.dilationW - g.padLeft
                col.append(iy >= 0 && iy < h && ix >= 0 && ix < w ? x[(ic * h + iy) * w + ix] : g.padValue)
            } }
        } } }
        return col
    }

    /// Each column entry added back onto the pixel it was read from (dropped in the padding).
    private func referenceCol2im(_ col: [Float], _ g: ConvGeometry, h: Int, w: Int, rows: Range<Int>, ow: Int,
                                 onto start: [Float]) -> [Float] {
        var x = start, j = 0
        for ic in 0..<(g.inChannels / g.groups) { for ky in 0..<g.kernelH { for kx in 0..<g.kernelW {
            for oy in rows { for ox in 0..<ow {
                let iy = oy * g.strideH + ky * g.dilationH - g.padTop, ix = ox * g.strideW + kx * g.dilationW - g.padLeft
                if iy >= 0 && iy < h && ix >= 0 && ix < w { x[(ic * h + iy) * w + ix] += col[j] }
                j += 1
            } }
        } } }
        return x
    }

    private func check(_ g: ConvGeometry, h: Int, w: Int, rows: Range<Int>? = nil, ow: Int? = nil, _ rng: inout SplitMix64,
                       file: StaticString = #filePath, line: UInt = #line) {
        let size = g.convOutputSize(h: h, w: w), ow = ow ?? size.w, rows = rows ?? 0..<size.h
        let planes = g.inChannels / g.groups
        let x = rng.floats(planes * h * w), count = g.columnRows * rows.count * ow
        var fast = [Float](repeating: .nan, count: count)
        x.withUnsafeBufferPointer { xb in
            fast.withUnsafeMutableBufferPointer { cb in
                guard let xp = xb.baseAddress, let cp = cb.baseAddress else { return }
                g.im2col(xp, h: h, w: w, rows: rows, ow: ow, into: cp)
            }
        }
        XCTAssertEqual(fast, referenceIm2col(x, g, h: h, w: w, rows: rows, ow: ow), "im2col \(g) \(h)x\(w) \(rows)", file: file, line: line)
        let col = rng.floats(count), start = rng.floats(planes * h * w)
        var back = start
        col.withUnsafeBufferPointer { cb in
            back.withUnsafeMutableBufferPointer { xb in
                guard let cp = cb.baseAddress, let xp = xb.baseAddress else { return }
                g.col2im(cp, h: h, w: w, rows: rows, ow: ow, into: xp)
            }
        }
        let expected = referenceCol2im(col, g, h: h, w: w, rows: rows, ow: ow, onto: start)
        let err = zip(back, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(err, 1e-5, "col2im \(g) \(h)x\(w) \(rows)", file: file, line: line)
    }

    func testKernelsStridesDilationsOddSizes() {
        var rng = SplitMix64(seed: 21)
        for k in 1...5 {
            for stride in 1...2 {
                for dilation in 1...2 where k > 1 || dilation == 1 {
                    let g = ConvGeometry(inChannels: rng.int(1...4), outChannels: 2, kernel: k, stride: stride,
                                         dilation: dilation, pad: rng.int(0...2))
                    let span = dilation * (k - 1) + 1
                    check(g, h: rng.int(max(1, span - 2 * g.padTop)...11), w: rng.int(max(1, span - 2 * g.padLeft)...13), &rng)
                }
            }
        }
    }

    func testStrideTwoPaddingAndEdgeShapes() {
        var rng = SplitMix64(seed: 22)
        check(ConvGeometry(inChannels: 3, outChannels: 4, kernel: 3, stride: 2, pad: 1), h: 7, w: 9, &rng)
        check(ConvGeometry(inChannels: 2, outChannels: 4, kernel: 3, stride: 2, pad: 1), h: 1, w: 1, &rng)
        check(ConvGeometry(inChannels: 2, outChannels: 4, kernel: 4, stride: 2, pad: 1), h: 13, w: 1, &rng)
        check(ConvGeometry(inChannels: 1, outChannels: 1, kernel: 9, stride: 4, pad: 3), h: 5, w: 11, &rng)
        check(ConvGeometry(inChannels: 5, outChannels: 3, kernel: 1), h: 3, w: 7, &rng)
    }

    func testAsymmetricPaddingPadValueGroupsAndRowBlocks() {
        var rng = SplitMix64(seed: 23)
        var g = ConvGeometry(inChannels: 6, outChannels: 3, kernel: 3, stride: 2, groups: 3)
        g.kernelW = 2; g.padTop = 2; g.padBottom = 0; g.padLeft = 0; g.padRight = 1; g.padValue = 0.5
        check(g, h: 9, w: 7, &rng)
        check(g, h: 9, w: 7, rows: 1..<3, &rng)
        check(ConvGeometry(inChannels: 3, outChannels: 2, kernel: 3, pad: 1), h: 6, w: 5, rows: 4..<6, &rng)
        // Wider column matrices than the convolution's output (a deconvolution with output padding).
        check(ConvGeometry(inChannels: 2, outChannels: 2, kernel: 3, stride: 2, pad: 1), h: 6, w: 5, rows: 0..<4, ow: 4, &rng)
    }

    /// <im2col(x), c> == <x, col2im(c)>: col2im is the adjoint the backward pass relies on.
    func testCol2imIsTheAdjoint() {
        var rng = SplitMix64(seed: 24)
        let g = ConvGeometry(inChannels: 3, outChannels: 2, kernel: 3, stride: 2, pad: 1), h = 8, w = 7
        let (oh, ow) = g.convOutputSize(h: h, w: w)
        let x = rng.floats(3 * h * w), c = rng.floats(g.columnRows * oh * ow)
        var col = [Float](repeating: 0, count: c.count), back = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xb in col.withUnsafeMutableBufferPointer { cb in
            if let xp = xb.baseAddress, let cp = cb.baseAddress { g.im2col(xp, h: h, w: w, rows: 0..<oh, ow: ow, into: cp) }
        } }
        c.withUnsafeBufferPointer { cb in back.withUnsafeMutableBufferPointer { xb in
            if let cp = cb.baseAddress, let xp = xb.baseAddress { g.col2im(cp, h: h, w: w, rows: 0..<oh, ow: ow, into: xp) }
        } }
        let lhs = zip(col, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(x, back).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * max(1, abs(lhs)))
    }
}
