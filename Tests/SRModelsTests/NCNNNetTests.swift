import XCTest
import SRTensor
import SRModels

final class NCNNNetTests: XCTestCase {
    /// Input -> Conv(3->4, 3x3 pad 1) -> PReLU -> Split -> [Conv(4->12, 3x3 SAME, leaky) -> PixelShuffle 2]
    /// and [Interp nearest x2 of the PReLU output, crop to 3 channels] -> BinaryOp add -> Eltwise sum with coeffs.
    static let param = """
    7767517
    11 13
    Input        in      0 1 data
    Convolution  c1      1 1 data a 0=4 1=3 4=1 5=1 6=108
    PReLU        p1      1 1 a b 0=4
    Split        s       1 3 b b0 b1 b2
    Convolution  c2      1 1 b0 c 0=12 1=3 4=-233 5=1 6=432 9=2 -23310=1,1.000000e-01
    PixelShuffle ps      1 1 c d 0=2
    Interp       up      1 1 b1 e 0=1 1=2.0 2=2.0
    Crop         cr      1 1 e f 2=1 5=3
    BinaryOp     add     2 1 d f g 0=0
    Pooling      gp      1 1 b2 h 0=1 4=1
    Scale        sc      2 1 g h2 out 0=-233
    """.replacingOccurrences(of: "Scale        sc      2 1 g h2 out 0=-233", with: "Eltwise      el      2 1 g g out 0=1 -23301=2,0.5,0.25")

    static let w1 = pseudoRandom(108, seed: 1), b1 = pseudoRandom(4, seed: 2), s1 = pseudoRandom(4, seed: 3)
    static let w2 = pseudoRandom(432, seed: 4), b2 = pseudoRandom(12, seed: 5)

    static var bin: [UInt8] {
        BinBytes.tagged(w1) + BinBytes.raw(b1) + BinBytes.raw(s1) + BinBytes.fp16(w2) + BinBytes.raw(b2)
    }

    func makeNet(fuse: Bool, param: String = NCNNNetTests.param, bin: [UInt8] = NCNNNetTests.bin) throws -> NCNNNet {
        try NCNNNet(param: NCNNParam(text: param, file: "tiny.param"), weights: NCNNModelBin(bytes: bin, file: "tiny.bin"), fuse: fuse)
    }

    func testTinyNetworkMatchesManualReference() throws {
        let x = Tensor(c: 3, h: 5, w: 6, data: pseudoRandom(90, seed: 9))
        let w2h = NCNNNetTests.w2.map { Float(Float16($0)) }
        let a = Reference.convolution(x, weight: NCNNNetTests.w1, bias: NCNNNetTests.b1,
                                      geometry: ConvGeometry(inChannels: 3, outChannels: 4, kernel: 3, pad: 1))
        let b = Reference.activation(a, .prelu(NCNNNetTests.s1))
        let c = Reference.convolution(b, weight: w2h, bias: NCNNNetTests.b2,
                                      geometry: ConvGeometry(inChannels: 4, outChannels: 12, kernel: 3, pad: 1),
                                      activation: .leakyReLU(0.1))
        let d = Reference.pixelShuffle(c, factor: 2)
        let e = Reference.interp(b, mode: .nearest, outH: 10, outW: 12)
        let f = Reference.crop(e, channel: 1, top: 0, left: 0, c: 3, h: 10, w: 12)
        let g = Reference.binaryOp(d, f, .add)
        let expected = Reference.eltwise([g, g], .sum, coefficients: [0.5, 0.25])
        for fuse in [false, true] {
            let net = try makeNet(fuse: fuse)
            let y = try net.forward(input: x)
            XCTAssertEqual(y.shape, [1, 3, 10, 12])
            XCTAssertLessThan(y.maxAbsDifference(expected), 1e-5, "fuse \(fuse)")
            XCTAssertEqual(try net.outputShape(input: BlobShape(c: 3, h: 5, w: 6)), BlobShape(c: 3, h: 10, w: 12))
        }
        XCTAssertEqual(try makeNet(fuse: true).nodes.count, try makeNet(fuse: false).nodes.count - 1)
        XCTAssertTrue(try makeNet(fuse: true).nodes.contains { ($0.layer as? ConvolutionLayer)?.activation == .prelu(NCNNNetTests.s1) })
        XCTAssertEqual(try makeNet(fuse: true).parameterCount, 108 + 4 + 4 + 432 + 12)
        XCTAssertEqual(try makeNet(fuse: true).multiplyAdds(input: BlobShape(c: 3, h: 5, w: 6)), Double(30 * 4 * 27 + 30 * 12 * 36))
    }

    /// Tagged weights (scaled to keep activations near 1) and `co` raw biases of one convolution.
    static func conv(_ n: Int, _ seed: UInt64, _ co: Int) -> [UInt8] {
        BinBytes.tagged(pseudoRandom(n, seed: seed).map { $0 * 0.3 }) + BinBytes.raw(pseudoRandom(co, seed: seed + 50))
    }

    static func net(_ param: String, _ bin: [UInt8], blocking: Bool) throws -> NCNNNet {
        try NCNNNet(param: NCNNParam(text: param, file: "test.param"), weights: NCNNModelBin(bytes: bin, file: "test.bin"),
                    blocking: blocking)
    }

    /// A chain of 16-channel 3x3 convolutions passes channel-blocked blobs between its Winograd
    /// layers (through a Split, not to the 3-channel ends) with the same output as planes, at
    /// Winograd sizes and at sizes that fall back to im2col.
    func testWinogradChainsPassChannelBlockedBlobs() throws {
        let param = """
        7767517
        9 10
        Input        in  0 1 x
        Convolution  c0  1 1 x a 0=16 1=3 4=1 5=1 6=432
        Convolution  c1  1 1 a b 0=16 1=3 4=1 5=1 6=2304
        PReLU        p1  1 1 b c 0=16
        Convolution  c2  1 1 c d 0=16 1=3 4=1 5=1 6=2304 9=1
        Split        s   1 2 d d0 d1
        Convolution  c3  1 1 d0 e 0=16 1=3 4=1 5=1 6=2304
        """
        let full = param + "\nConvolution  c4  1 1 e f 0=3 1=3 4=1 5=1 6=432\nEltwise el 2 1 f f out 0=1\n"
        let bin = Self.conv(432, 1, 16) + Self.conv(2304, 2, 16) + BinBytes.raw(pseudoRandom(16, seed: 3)) + Self.conv(2304, 4, 16)
            + Self.conv(2304, 5, 16) + Self.conv(432, 6, 3)
        let blocked = try Self.net(full, bin, blocking: true), planes = try Self.net(full, bin, blocking: false)
        let flags = blocked.nodes.compactMap { n in (n.layer as? ConvolutionLayer).map { (n.name, $0.blockedInput, $0.blockedOutput) } }
        // c0 is not Winograd (3 inputs), so its output stays in planes (one Winograd reader, one
        // plain writer); c1 -> c2 -> Split -> c3 is blocked through the Split; c4 is not Winograd
        // (3 outputs), so c3 writes planes for it.
        XCTAssertEqual(flags.map(\.0), ["c0", "c1", "c2", "c3", "c4"])
        XCTAssertEqual(flags.map(\.1), [false, false, true, true, false])
        XCTAssertEqual(flags.map(\.2), [false, true, true, false, false])
        XCTAssertFalse(planes.nodes.contains { ($0.layer as? ConvolutionLayer).map { $0.blockedInput || $0.blockedOutput } ?? false })
        for (h, w) in [(20, 26), (9, 11)] {
            let x = Tensor(c: 3, h: h, w: w, data: pseudoRandom(3 * h * w, seed: 9))
            let a = try blocked.forward(input: x), b = try planes.forward(input: x)
            XCTAssertEqual(a.shape, [1, 3, h, w])
            XCTAssertLessThan(a.maxAbsDifference(b), 1e-4, "\(h)x\(w)")
        }
    }

    /// Split, Concat, Eltwise and BinaryOp keep a group blocked (RRDB-style dense blocks); a
    /// layer that needs planes (Interp) gets a converted copy; the output equals planes throughout.
    func testBlockedGroupsSpanConcatEltwiseAndConvertForOtherReaders() throws {
        let param = """
        7767517
        10 14
        Input        in  0 1 x
        Convolution  c0  1 1 x a 0=16 1=3 4=1 5=1 6=432
        Convolution  c1  1 1 a b 0=16 1=3 4=1 5=1 6=2304 9=2 -23310=1,0.2
        Split        s   1 3 b b0 b1 b2
        Convolution  c2  1 1 b0 c 0=16 1=3 4=1 5=1 6=2304
        Concat       cat 2 1 b1 c d 0=0
        Convolution  c3  1 1 d e 0=16 1=3 4=1 5=1 6=4608
        Eltwise      el  2 1 e b2 f 0=1 -23301=2,0.2,1.0
        BinaryOp     add 2 1 f f g 0=0
        Interp       up  1 1 g out 0=1 1=2.0 2=2.0
        """
        let bin = Self.conv(432, 11, 16) + Self.conv(2304, 12, 16) + Self.conv(2304, 13, 16) + Self.conv(4608, 14, 16)
        let blocked = try Self.net(param, bin, blocking: true), planes = try Self.net(param, bin, blocking: false)
        let convs = blocked.nodes.compactMap { $0.layer as? ConvolutionLayer }
        XCTAssertEqual(convs.map(\.blockedInput), [false, false, true, true])
        XCTAssertEqual(convs.map(\.blockedOutput), [false, true, true, true])
        XCTAssertEqual(blocked.nodes.map(\.type).filter { $0 == "ChannelUnblock" }.count, 1)
        XCTAssertEqual(blocked.nodes.last?.bottoms.map { blocked.blobNames[$0] }, ["g#planes"])
        XCTAssertEqual(planes.nodes.count, blocked.nodes.count - 1)
        for (h, w) in [(20, 26), (9, 11)] {
            let x = Tensor(c: 3, h: h, w: w, data: pseudoRandom(3 * h * w, seed: 19))
            let a = try blocked.forward(input: x), b = try planes.forward(input: x)
            XCTAssertEqual(a.shape, [1, 16, 2 * h, 2 * w])
            XCTAssertLessThan(a.maxAbsDifference(b), 1e-4, "\(h)x\(w)")
        }
    }

    func testPReLUWithOtherReadersIsNotFused() throws {
        let param = "7767517\n4 4\nInput in 0 1 x\nConvolution c 1 1 x a 0=1 1=1 6=1\nPReLU p 1 1 a b 0=1\nEltwise e 2 1 a b y 0=1\n"
        let bin = BinBytes.tagged([2]) + BinBytes.raw([0.5])
        let fused = try makeNet(fuse: true, param: param, bin: bin)
        XCTAssertEqual(fused.nodes.count, 4)
        let y = try fused.forward(input: Tensor(c: 1, h: 1, w: 2, data: [1, -1]))
        XCTAssertEqual(y.data, [4, -3])
    }

    func testTruncatedBinNamesTheLayer() {
        let short = Array(NCNNNetTests.bin.dropLast(40))
        XCTAssertThrowsError(try makeNet(fuse: true, bin: short)) { e in
            XCTAssertEqual("\(e)", "tiny.bin: data ends inside layer 'c2' (Convolution): needs 40 bytes more")
        }
        XCTAssertThrowsError(try makeNet(fuse: true, bin: NCNNNetTests.bin + [0, 0, 0, 0])) { e in
            XCTAssertTrue("\(e)".contains("4 bytes left"), "\(e)")
        }
    }

    func testUnknownLayerTypeAndParameterAreReported() {
        let unknown = "7767517\n2 2\nInput in 0 1 x\nMish sw 1 1 x y\n"
        XCTAssertThrowsError(try makeNet(fuse: true, param: unknown, bin: [])) { e in
            XCTAssertEqual(e as? ModelError, .unknownLayerType(file: "tiny.param", layer: "sw", type: "Mish"))
            XCTAssertTrue("\(e)".contains("'sw'") && "\(e)".contains("Mish"))
        }
        let badKey = "7767517\n2 2\nInput in 0 1 x\nConvolution c 1 1 x y 0=1 1=1 6=1 33=4\n"
        XCTAssertThrowsError(try makeNet(fuse: true, param: badKey, bin: BinBytes.tagged([1]))) { e in
            XCTAssertEqual(e as? ModelError, .unsupportedParameter(file: "tiny.param", layer: "c", type: "Convolution", key: 33))
        }
        let badShape = "7767517\n2 2\nInput in 0 1 x\nConvolution c 1 1 x y 0=2 1=3 6=10\n"
        XCTAssertThrowsError(try makeNet(fuse: true, param: badShape, bin: [])) { e in
            XCTAssertTrue("\(e)".contains("weight_data_size 10"), "\(e)")
        }
    }

    func testCUNetStyleBlocksMatchReference() throws {
        // Pooling(global avg) -> InnerProduct(relu) -> InnerProduct(sigmoid) -> Scale by blob; Deconv; Crop by reference.
        let param = """
        7767517
        8 10
        Input         in  0 1 x
        Split         s   1 3 x x0 x1 x2
        Pooling       gp  1 1 x0 p 0=1 4=1
        InnerProduct  f1  1 1 p q 0=2 1=1 2=4 9=1
        InnerProduct  f2  1 1 q r 0=2 1=1 2=4 9=4
        Scale         sc  2 1 x1 r t 0=-233
        Deconvolution dc  1 1 t u 0=2 1=4 3=2 4=3 5=1 6=64
        Crop          cr  2 1 u x2 y 0=1 1=1
        """
        let wa = pseudoRandom(4, seed: 11), ba = pseudoRandom(2, seed: 12), wb = pseudoRandom(4, seed: 13)
        let bb = pseudoRandom(2, seed: 14), wd = pseudoRandom(64, seed: 15), bd = pseudoRandom(2, seed: 16)
        let bin = BinBytes.tagged(wa) + BinBytes.raw(ba) + BinBytes.tagged(wb) + BinBytes.raw(bb)
            + BinBytes.tagged(wd) + BinBytes.raw(bd)
        let x = Tensor(c: 2, h: 6, w: 7, data: pseudoRandom(84, seed: 17))
        let p = Reference.pooling(x, PoolingGeometry(kind: .average, global: true))
        let q = Reference.innerProduct(p, weight: wa, bias: ba, outCount: 2, activation: .relu)
        let r = Reference.innerProduct(q, weight: wb, bias: bb, outCount: 2, activation: .sigmoid)
        let t = Reference.scale(x, scale: r.data)
        let u = Reference.deconvolution(t, weight: wd, bias: bd, geometry: ConvGeometry(inChannels: 2, outChannels: 2, kernel: 4, stride: 2, pad: 3))
        XCTAssertEqual(u.shape, [1, 2, 8, 10])
        let expected = Reference.crop(u, top: 1, left: 1, h: 6, w: 7)
        let y = try makeNet(fuse: true, param: param, bin: bin).forward(input: x)
        XCTAssertEqual(y.shape, expected.shape)
        XCTAssertLessThan(y.maxAbsDifference(expected), 1e-6)
    }
}
