import SRAutograd
import SRTensor

/// SRGAN's VGG-style discriminator (seed 003): 3x3 convolutions from `features` to 8x`features`
/// channels, stride 2 whenever the channels double (and at the end of each stage), batch norm
/// and LeakyReLU 0.2, then global average pooling and two dense (1x1) layers giving one logit per
/// image (the sigmoid is in the loss, as softplus). Trained alongside a generator, never exported.
///
/// Threading: owned by one training loop.
public final class VGGDiscriminator {
    /// Every learned tensor, in a fixed order (saved in checkpoints).
    public let parameters: [NamedParameter]
    private let convs: [(weight: Variable, bias: Variable, stride: Int, bn: (gamma: Variable, beta: Variable, stats: BatchNormStats)?)]
    private let dense: [(weight: Variable, bias: Variable)]

    /// Creates a discriminator with `features` channels in its first stage (SRGAN: 64).
    public init(features f: Int = 64, seed: UInt64 = 0) {
        var rng = SeededRandom(seed: seed ^ 0xD15C), params: [NamedParameter] = []
        func add(_ name: String, _ shape: [Int], _ t: Tensor) -> Variable {
            let v = Variable(t, requiresGrad: true, name: name)
            params.append(NamedParameter(name: name, shape: shape, variable: v))
            return v
        }
        let plan: [(Int, Int, Int)] = [(3, f, 1), (f, f, 2), (f, 2 * f, 1), (2 * f, 2 * f, 2),
                                        (2 * f, 4 * f, 1), (4 * f, 4 * f, 2), (4 * f, 8 * f, 1), (8 * f, 8 * f, 2)]
        var built: [(Variable, Variable, Int, (Variable, Variable, BatchNormStats)?)] = []
        for (i, (cin, cout, stride)) in plan.enumerated() {
            let w = add("conv.\(i).weight", [cout, cin, 3, 3], Init.conv(&rng, out: cout, in: cin, k: 3))
            let b = add("conv.\(i).bias", [cout], Init.constant(cout, 0))
            let bn = i == 0 ? nil : (add("bn.\(i).weight", [cout], Init.constant(cout, 1)), add("bn.\(i).bias", [cout], Init.constant(cout, 0)),
                                     BatchNormStats(channels: cout))
            built.append((w, b, stride, bn))
        }
        convs = built.map { ($0.0, $0.1, $0.2, $0.3.map { (gamma: $0.0, beta: $0.1, stats: $0.2) }) }
        let hidden = 16 * f
        dense = [(add("dense.0.weight", [hidden, 8 * f, 1, 1], Init.conv(&rng, out: hidden, in: 8 * f, k: 1)), add("dense.0.bias", [hidden], Init.constant(hidden, 0))),
                 (add("dense.1.weight", [1, hidden, 1, 1], Init.conv(&rng, out: 1, in: hidden, k: 1, scale: 0.1)), add("dense.1.bias", [1], Init.constant(1, 0)))]
        parameters = params
    }

    /// The parameters' variables, in order.
    public var variables: [Variable] { parameters.map(\.variable) }

    /// One real/fake logit per image (`n x 1 x 1 x 1`).
    public func logits(_ x: Variable) -> Variable {
        var y = x
        for c in convs {
            y = y.conv2d(c.weight, bias: c.bias, window: Window(kernel: 3, stride: c.stride, pad: 1))
            if let bn = c.bn { y = y.batchNorm(gamma: bn.gamma, beta: bn.beta, stats: bn.stats, training: true) }
            y = y.leakyReLU(0.2)
        }
        y = y.spatialMean()
        y = y.conv2d(dense[0].weight, bias: dense[0].bias, window: Window(kernel: 1)).leakyReLU(0.2)
        return y.conv2d(dense[1].weight, bias: dense[1].bias, window: Window(kernel: 1))
    }
}
