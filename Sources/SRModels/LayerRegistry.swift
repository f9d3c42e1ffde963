/// The layer types this importer understands, by ncnn type name.
public enum LayerRegistry {
    /// Factory for each supported ncnn layer type.
    public static let factories: [String: LayerFactory] = [
        "Input": InputLayer.init,
        "Split": SplitLayer.init,
        "Convolution": ConvolutionLayer.init,
        "Deconvolution": DeconvolutionLayer.init,
        "PReLU": PReLULayer.init,
        "ReLU": ReLULayer.init,
        "Sigmoid": SigmoidLayer.init,
        "Softmax": SoftmaxLayer.init,
        "PixelShuffle": PixelShuffleLayer.init,
        "Interp": InterpLayer.init,
        "BinaryOp": BinaryOpLayer.init,
        "Eltwise": EltwiseLayer.init,
        "Concat": ConcatLayer.init,
        "Crop": CropLayer.init,
        "Pooling": PoolingLayer.init,
        "InnerProduct": InnerProductLayer.init,
        "Scale": ScaleLayer.init,
        "Swish": SwishLayer.init,
        "PixelGroupNorm": PixelGroupNormLayer.init,
        "ClassValue": ClassValueLayer.init,
    ]

    /// Loads one layer, or throws `unknownLayerType` naming the file, layer and type.
    public static func make(_ p: NCNNLayerParams, _ bin: NCNNModelBin) throws -> any Layer {
        guard let factory = factories[p.type] else {
            throw ModelError.unknownLayerType(file: p.file, layer: p.name, type: p.type)
        }
        return try factory(p, bin)
    }
}
