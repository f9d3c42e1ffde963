import XCTest
import SRModels

final class NCNNModelBinTests: XCTestCase {
    func testReadsTaggedFp32Fp16QuantizedAndRaw() throws {
        let bytes = BinBytes.tagged([1.5, -2]) + BinBytes.fp16([0.5, -0.25, 3])
            + BinBytes.quantized(table: [0, 0.75, -4], indices: [2, 1, 1, 0, 2]) + BinBytes.raw([7])
        let bin = NCNNModelBin(bytes: bytes)
        XCTAssertEqual(try bin.readTagged(count: 2), [1.5, -2])
        XCTAssertEqual(try bin.readTagged(count: 3), [0.5, -0.25, 3])
        XCTAssertEqual(bin.offset, 12 + 4 + 8)  // 3 halfs padded to 8 bytes
        XCTAssertEqual(try bin.readTagged(count: 5), [-4, 0.75, 0.75, 0, -4])
        XCTAssertEqual(try bin.readRaw(count: 1), [7])
        XCTAssertEqual(bin.remaining, 0)
    }

    func testTruncatedDataNamesTheLayer() {
        let bin = NCNNModelBin(bytes: BinBytes.tagged([1, 2, 3]), file: "m.bin")
        bin.begin(layer: "Conv_17", type: "Convolution")
        XCTAssertThrowsError(try bin.readTagged(count: 10)) { e in
            XCTAssertEqual("\(e)", "m.bin: data ends inside layer 'Conv_17' (Convolution): needs 28 bytes more")
        }
        XCTAssertEqual(bin.offset, 0)
    }

    func testInt8IsRejected() {
        let bin = NCNNModelBin(bytes: BinBytes.le32(0x000D_4B38) + [1, 2, 3, 4])
        XCTAssertThrowsError(try bin.readTagged(count: 4))
    }
}
