import SRTensor

extension Kernels {
    /// At every pixel, `values[k]` for the channel k with the largest value (the first on ties):
    /// `N x C x H x W` -> `N x 1 x H x W`.
    public static func classValue(_ logits: Tensor, values: [Float]) -> Tensor {
        precondition(values.count == logits.c, "classValue: \(values.count) values for \(logits.c) channels")
        let plane = logits.h * logits.w, c = logits.c
        var out = Tensor(n: logits.n, c: 1, h: logits.h, w: logits.w)
        var best = [Float](repeating: 0, count: plane), index = [Int](repeating: 0, count: plane)
        for b in 0..<logits.n {
            let base = b * c * plane
            for j in 0..<plane { best[j] = logits.data[base + j]; index[j] = 0 }
            for k in 1..<max(c, 1) {
                let row = base + k * plane
                for j in 0..<plane where logits.data[row + j] > best[j] { best[j] = logits.data[row + j]; index[j] = k }
            }
            for j in 0..<plane { out.data[b * plane + j] = values[index[j]] }
        }
        return out
    }
}
