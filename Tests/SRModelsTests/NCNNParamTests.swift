import XCTest
import SRModels

final class NCNNParamTests: XCTestCase {
    func testParsesLayersBlobsAndParameters() throws {
        let text = """
        7767517
        3 3
        Input            data   0 1 in 0=8 1=6 2=3
        Convolution      conv   1 1 in c 0=4 1=3 4=-233 5=1 6=108 9=2 -23310=1,2.000000e-01
        Eltwise          add    2 1 c c out 0=1 -23301=2,0.5,-1.25e+00

        """
        let p = try NCNNParam(text: text, file: "t.param")
        XCTAssertEqual(p.layers.count, 3)
        XCTAssertEqual(p.blobCount, 3)
        let conv = p.layers[1]
        XCTAssertEqual(conv.type, "Convolution")
        XCTAssertEqual(conv.name, "conv")
        XCTAssertEqual(conv.bottoms, ["in"])
        XCTAssertEqual(conv.tops, ["c"])
        XCTAssertEqual(conv.params.values[4], .int(-233))
        XCTAssertEqual(conv.params.values[10], .array([0.2]))
        XCTAssertEqual(try conv.params.int(0, 0), 4)
        XCTAssertEqual(try conv.params.int(11, 7), 7)
        XCTAssertEqual(p.layers[2].params.values[1], .array([0.5, -1.25]))
        XCTAssertEqual(p.layers[2].bottoms, ["c", "c"])
        XCTAssertEqual(p.layers[2].params.inputCount, 2)
    }

    func testFloatsAndIntsFollowNCNNRule() throws {
        let p = try NCNNParam(text: "7767517\n1 1\nInterp i 1 1 a b 0=2 1=2.000000e+00 2=3. 3=1E1\n")
        let v = p.layers[0].params.values
        XCTAssertEqual(v[0], .int(2))
        XCTAssertEqual(v[1], .float(2))
        XCTAssertEqual(v[2], .float(3))
        XCTAssertEqual(v[3], .float(10))
        XCTAssertEqual(try p.layers[0].params.float(0, 0), 2)
    }

    func testRejectsMissingMagic() {
        XCTAssertThrowsError(try NCNNParam(text: "123\n1 1\n", file: "a.param")) { e in
            XCTAssertEqual("\(e)", "cannot read 'a.param': not an ncnn param file (magic 7767517 missing)")
        }
    }

    func testRejectsLayerCountMismatchAndBadValues() {
        XCTAssertThrowsError(try NCNNParam(text: "7767517\n2 1\nInput in 0 1 a\n", file: "a.param")) { e in
            XCTAssertTrue("\(e)".contains("declares 2 layers"), "\(e)")
        }
        XCTAssertThrowsError(try NCNNParam(text: "7767517\n1 1\nInput in 0 1 a 0=x\n", file: "a.param")) { e in
            XCTAssertTrue("\(e)".hasPrefix("a.param:3:"), "\(e)")
        }
        XCTAssertThrowsError(try NCNNParam(text: "7767517\n1 1\nEltwise e 0 1 a -23301=3,1,2\n")) { e in
            XCTAssertTrue("\(e)".contains("N,v1"), "\(e)")
        }
    }

    /// A blob count near Int.max (found by the fuzzer) is refused with the file's line, not a crash.
    func testRejectsHugeBlobCounts() {
        for counts in ["9223372036854775807 1", "1 9223372036854775807", "9223372036854775806 9223372036854775806"] {
            XCTAssertThrowsError(try NCNNParam(text: "7767517\n1 2\nConvolution c \(counts) a b 0=1\n", file: "a.param")) { e in
                XCTAssertTrue("\(e)".contains("fewer blob names"), "\(e)")
            }
        }
    }
}
