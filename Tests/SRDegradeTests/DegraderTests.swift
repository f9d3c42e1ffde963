import SRAutograd
import SRKernels
import SRMedia
import SRTensor
import XCTest
@testable import SRDegrade

/// A smooth test picture with some texture: gradients plus a checker of 4-pixel squares.
func testPicture(_ w: Int, _ h: Int, seed: Int = 0) -> Tensor {
    var t = Tensor(c: 3, h: h, w: w)
    for c in 0..<3 { for y in 0..<h { for x in 0..<w {
        let g = Float(x) / Float(w) * 0.5 + Float(y) / Float(h) * 0.3 + Float(c) * 0.05
        let checker: Float = ((x / 4 + y / 4 + seed) % 2 == 0) ? 0.15 : 0
        t.data[(c * h + y) * w + x] = min(g + checker, 1)
    } } }
    return t
}

final class DegraderTests: XCTestCase {
    func testBlurKernelsAreNormalizedAndBlur() {
        let img = testPicture(32, 32)
        for k in [BlurKernel.gaussian(size: 7, sigmaX: 1.2, sigmaY: 1.2),
                  BlurKernel.gaussian(size: 9, sigmaX: 2, sigmaY: 0.5, theta: 0.7),
                  BlurKernel.gaussian(size: 9, sigmaX: 1.5, sigmaY: 1, theta: 0.3, beta: 0.6),
                  BlurKernel.sinc(size: 11, cutoff: 1.5)] {
            XCTAssertEqual(k.weights.reduce(0, +), 1, accuracy: 1e-4)
            let out = k.apply(img)
            XCTAssertEqual(out.shape, img.shape)
            XCTAssertGreaterThan(out.meanAbsDifference(img), 0.005, "a blur changes a textured picture")
            // A constant image stays constant (normalized kernel, mirrored edges).
            let flat = Tensor(c: 3, h: 16, w: 16, repeating: 0.4)
            XCTAssertEqual(k.apply(flat).data.map { abs($0 - 0.4) }.max() ?? 1, 0, accuracy: 1e-4)
        }
        // The rotated anisotropic kernel is not symmetric under transposition; the isotropic one is.
        let iso = BlurKernel.gaussian(size: 7, sigmaX: 1.5, sigmaY: 1.5)
        let aniso = BlurKernel.gaussian(size: 7, sigmaX: 2.5, sigmaY: 0.6, theta: 0.3)
        func transposeGap(_ k: BlurKernel) -> Float {
            var gap: Float = 0
            for y in 0..<7 { for x in 0..<7 { gap = max(gap, abs(k.weights[y * 7 + x] - k.weights[x * 7 + y])) } }
            return gap
        }
        XCTAssertLessThan(transposeGap(iso), 1e-6)
        XCTAssertGreaterThan(transposeGap(aniso), 1e-3)
        // The sinc kernel rings: it has negative taps.
        XCTAssertLessThan(BlurKernel.sinc(size: 11, cutoff: 1.2).weights.min() ?? 0, 0)
    }

    func testNoiseStaysWithinItsBounds() {
        let img = testPicture(24, 24)
        var rng = SeededRandom(seed: 3)
        let g = Noise.gaussian(img, sigma: 5, gray: false, rng: &rng)
        var sq: Float = 0
        for (a, b) in zip(g.data, img.data) { sq += (a - b) * (a - b) }
        let sd = (sq / Float(img.count)).squareRoot() * 255
        XCTAssertEqual(sd, 5, accuracy: 0.8, "gaussian noise has the asked sigma in 8-bit levels")
        XCTAssertTrue(g.data.allSatisfy { (0...1).contains($0) })
        let gray = Noise.gaussian(img, sigma: 5, gray: true, rng: &rng)
        let plane = 24 * 24
        for i in stride(from: 0, to: plane, by: 37) {
            let d0 = gray.data[i] - img.data[i], d1 = gray.data[plane + i] - img.data[plane + i]
            if (0.02...0.98).contains(gray.data[i]) && (0.02...0.98).contains(gray.data[plane + i]) { XCTAssertEqual(d0, d1, accuracy: 1e-6) }
        }
        let p = Noise.poisson(img, scale: 1, gray: false, rng: &rng)
        let pd = p.meanAbsDifference(img) * 255
        XCTAssertGreaterThan(pd, 2, "shot noise of an 8-bit count is several levels")
        XCTAssertLessThan(pd, 15)
        var r2 = SeededRandom(seed: 9)
        let mean = (0..<4000).map { _ in Noise.sample(lambda: 4, rng: &r2) }.reduce(0, +) / 4000
        XCTAssertEqual(mean, 4, accuracy: 0.2)
    }

    func testResizeKernelsKeepFlatImagesAndDiffer() {
        let flat = Tensor(c: 3, h: 20, w: 20, repeating: 0.3)
        let img = testPicture(40, 40)
        var outs: [Tensor] = []
        for k in ResizeKernel.allCases {
            XCTAssertEqual(Kernels.imresize(flat, outH: 13, outW: 7, kernel: k).data.map { abs($0 - 0.3) }.max() ?? 1, 0, accuracy: 1e-5)
            outs.append(Kernels.imresize(img, outH: 17, outW: 23, kernel: k))
        }
        for i in 0..<outs.count { for j in (i + 1)..<outs.count { XCTAssertGreaterThan(outs[i].meanAbsDifference(outs[j]), 1e-4) } }
        // The default kernel is the old bicubic.
        XCTAssertTrue(Kernels.imresize(img, outH: 17, outW: 23).data == Kernels.imresize(img, outH: 17, outW: 23, kernel: .cubic).data)
    }

    func testCodecRoundTripsAddTheirArtifactsOnly() throws {
        let img = testPicture(64, 48)
        for (codec, worse) in [(CodecRoundTrip.Codec.h264(crf: 20), CodecRoundTrip.Codec.h264(crf: 40)),
                               (.mpeg2(q: 2), .mpeg2(q: 20))] {
            let good = try XCTUnwrap(CodecRoundTrip.run([img], codec: codec).first)
            let bad = try XCTUnwrap(CodecRoundTrip.run([img], codec: worse).first)
            XCTAssertEqual(good.shape, img.shape)
            XCTAssertGreaterThan(good.meanAbsDifference(img), 0.001, "\(codec) changes the picture")
            XCTAssertLessThan(good.meanAbsDifference(img), 0.03, "\(codec) keeps the picture")
            XCTAssertGreaterThan(bad.meanAbsDifference(img), good.meanAbsDifference(img), "\(worse) is worse than \(codec)")
        }
        // Three pictures in, three out; odd sizes come back at their size.
        let three = try CodecRoundTrip.run([img, Degrader.shifted(img, by: 1, 1), Degrader.shifted(img, by: 2, 2)], codec: .h264(crf: 28))
        XCTAssertEqual(three.count, 3)
        let odd = try CodecRoundTrip.run([testPicture(33, 21)], codec: .mpeg2(q: 4))
        XCTAssertEqual(odd.first?.shape, [1, 3, 21, 33])
    }

    func testDegraderIsReproducibleAndVaried() {
        let hr = testPicture(96, 96)
        let d = Degrader(DegradationConfig())
        var steps: Set<String> = []
        var distinct = 0
        var prev: Tensor?
        for k in 0..<24 {
            var a = SeededRandom(seed: UInt64(k)), b = SeededRandom(seed: UInt64(k))
            let (x, s) = d.degrade(hr, scale: 2, rng: &a)
            let (y, t) = d.degrade(hr, scale: 2, rng: &b)
            XCTAssertTrue(x.data == y.data, "crop \(k) depends only on the seed: \(s) vs \(t), max difference "
                          + "\(zip(x.data, y.data).map { abs($0 - $1) }.max() ?? 0)")
            XCTAssertEqual(x.shape, [1, 3, 48, 48])
            XCTAssertTrue(x.data.allSatisfy { (0...1).contains($0) && abs($0 * 255 - ($0 * 255).rounded()) < 1e-3 }, "8-bit levels")
            let bicubic = Kernels.imresize(hr, outH: 48, outW: 48)
            XCTAssertLessThan(x.meanAbsDifference(bicubic), 0.15, "crop \(k) (\(s)) stays the same picture")
            for step in s { steps.insert(String(step.split(separator: " ").first ?? "").split(separator: ":").first.map(String.init) ?? "") }
            if let p = prev, p.data != x.data { distinct += 1 }
            prev = x
        }
        XCTAssertGreaterThan(distinct, 20)
        for kind in ["clean", "blur", "h264"] { XCTAssertTrue(steps.contains(kind), "\(kind) among \(steps.sorted())") }
    }

    func testConfigValidationNamesTheKey() {
        var c = DegradationConfig()
        XCTAssertNoThrow(try c.validate())
        c.clean = 1.5
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("data.degradation.clean")) }
        c = DegradationConfig(); c.h264CRF = 10...60
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("h264_crf")) }
    }

    func testSpecParsesAppliesAndRefusesOneLine() throws {
        let spec = try DegradeSpec("blur:sigma=0.8, h264:crf=26,noise:sigma=3:gray=1")
        XCTAssertEqual(spec.stages, [.blur(sigma: 0.8), .codec(.h264(crf: 26)), .noise(sigma: 3, gray: true, seed: 0)])
        let img = testPicture(48, 32)
        let a = try spec.apply(img), b = try spec.apply(img)
        XCTAssertTrue(a.data == b.data, "a spec gives the same LR every time")
        XCTAssertGreaterThan(a.meanAbsDifference(img), 0.005)
        XCTAssertEqual(try DegradeSpec("mpeg2:q=8").stages, [.codec(.mpeg2(q: 8))])
        XCTAssertEqual(try DegradeSpec("jpeg:q=10").stages, [.jpeg(q: 10)])
        for (bad, words) in [("h264", "needs crf=N"), ("h264:crf=70", "within 0...51"), ("vp9:crf=3", "unknown stage 'vp9'"),
                             ("jpeg:q=40", "within 2...31"), ("noise:sigma=x", "not key=number"), ("h264:crf=20:speed=3", "unknown key 'speed'"),
                             ("h264:crf=20,,", "empty stage")] {
            XCTAssertThrowsError(try DegradeSpec(bad), bad) { e in
                XCTAssertTrue("\(e)".contains(words), "\(bad): \(e)")
                XCTAssertFalse("\(e)".contains("\n"))
            }
        }
    }
}
