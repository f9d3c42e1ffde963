import Foundation
import SRKernels
import SRModels
import SRTensor
import XCTest

/// The engine graph is the one form of every model: the ncnn importer decodes into it, the
/// lowering of a trainable architecture builds it with typed initialisers, and each layer writes
/// itself back as ncnn (`NCNNEncodable`), the inverse of its decoder.
final class EngineGraphTests: XCTestCase {
    /// Every fetched ncnn model (one per family and architecture, the light ones): import, write,
    /// import again gives bit-identical outputs, and writing the re-import gives the same text.
    func testEveryImportedModelRoundTripsThroughItsOwnEncoding() throws {
        let folder = ModelCatalog.modelsDirectory
        let wanted = ["realesr-animevideov3-x2", "realesr-animevideov3-x4", "waifu2x-upconv7-anime-noise0-x2", "waifu2x-cunet-x2",
                      "realesrgan-x4plus-anime"]
        let present = ModelCatalog.installed(in: folder).filter { wanted.contains($0.name) }
        XCTAssertEqual(present.count, wanted.count, "make models fetches these: \(wanted)")
        var rng = SystemRandomNumberGenerator()
        for d in present {
            let param = try NCNNParam(contentsOf: d.paramPath)
            let imported = try EngineGraph(param: param, weights: NCNNModelBin(contentsOf: d.binPath))
            let files = try imported.ncnnFiles()
            let again = try EngineGraph(param: NCNNParam(text: files.paramText, file: d.name + ".param"),
                                        weights: NCNNModelBin(bytes: files.bin, file: d.name + ".bin"))
            XCTAssertEqual(try again.ncnnFiles().paramText, files.paramText, "\(d.name): writing is a fixpoint")
            XCTAssertEqual(try again.ncnnFiles().bin, files.bin, d.name)
            var x = Tensor(n: 1, c: 3, h: 48, w: 52)  // cunet needs room for its unpadded convolutions
            for i in 0..<x.count { x.data[i] = Float.random(in: 0...1, using: &rng) }
            let a = try NCNNNet(graph: imported).forward(input: x), b = try NCNNNet(graph: again).forward(input: x)
            XCTAssertEqual(a.shape, b.shape, d.name)
            XCTAssertEqual(a.maxAbsDifference(b), 0, "\(d.name): the re-imported model computes the same bits")
        }
    }

    /// Typed initialisers build the same layers the decoder does from ncnn keys.
    func testTypedInitialisersMatchTheDecoder() throws {
        func params(_ type: String, _ values: [Int: NCNNParamValue], inputs: Int = 1, outputs: Int = 1) -> NCNNLayerParams {
            NCNNLayerParams(file: "t.param", type: type, name: "l", values: values, inputCount: inputs, outputCount: outputs)
        }
        let empty = NCNNModelBin(bytes: [], file: "t.bin")
        XCTAssertEqual(try ReLULayer(params("ReLU", [0: .float(0.2)]), empty).activation, ReLULayer(name: "l", slope: 0.2).activation)
        XCTAssertEqual(try InputLayer(params("Input", [0: .int(5), 1: .int(4), 2: .int(3)]), empty).declared,
                       InputLayer(name: "l", shape: BlobShape(c: 3, h: 4, w: 5)).declared)
        let interp = try InterpLayer(params("Interp", [0: .int(2), 1: .float(2), 2: .float(3)]), empty)
        let typed = InterpLayer(name: "l", mode: .bilinear, heightScale: 2, widthScale: 3)
        XCTAssertEqual(interp.ncnnValues(), typed.ncnnValues())
        XCTAssertEqual(try BinaryOpLayer(params("BinaryOp", [0: .int(2), 1: .int(1), 2: .float(0.5)]), empty).ncnnValues(),
                       BinaryOpLayer(name: "l", op: .mul, scalar: 0.5).ncnnValues())
        // A convolution: typed, encoded, decoded again: the same geometry, weights and activation.
        var g = ConvGeometry(inChannels: 2, outChannels: 3, kernel: 3, stride: 2, pad: 1)
        g.kernelH = 1; g.padTop = 0; g.padBottom = 0
        let weight = (0..<(3 * 2 * 3 * 1)).map { Float($0) / 7 }
        let conv = ConvolutionLayer(name: "l", geometry: g, weight: weight, bias: [1, 2, 3], activation: .leakyReLU(0.1))
        var bin = NCNNWeights()
        conv.ncnnWeights(&bin)
        let decoded = try ConvolutionLayer(params("Convolution", try conv.ncnnValues()), NCNNModelBin(bytes: bin.bytes, file: "t.bin"))
        XCTAssertEqual(decoded.geometry, conv.geometry)
        XCTAssertEqual(decoded.weight, conv.weight)
        XCTAssertEqual(decoded.bias, conv.bias)
        XCTAssertEqual(decoded.activation, conv.activation)
    }
}
