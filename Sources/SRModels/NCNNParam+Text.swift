extension NCNNParam {
    /// A layer list built in memory (`EngineGraph.ncnnFiles`), not read from text.
    public init(file: String, layers: [NCNNLayerSpec], blobCount: Int) {
        self.file = file; self.layers = layers; self.blobCount = blobCount
    }

    /// The `.param` text of these layers: what `init(text:)` reads back to the same values
    /// (floats are written in their shortest exact form; arrays as `-233KK=N,v1,...`).
    public var text: String {
        var out = "7767517\n\(layers.count) \(blobCount)\n"
        for l in layers {
            var fields = [l.type, l.name, "\(l.bottoms.count)", "\(l.tops.count)"] + l.bottoms + l.tops
            for key in l.params.values.keys.sorted() {
                switch l.params.values[key] {
                case .int(let v): fields.append("\(key)=\(v)")
                case .float(let v): fields.append("\(key)=\(NCNNParam.number(v))")
                case .array(let a): fields.append("\(-23300 - key)=\(a.count)" + a.map { "," + NCNNParam.number($0) }.joined())
                case nil: break
                }
            }
            out += fields.joined(separator: " ") + "\n"
        }
        return out
    }

    /// A float that parses back as a float (`1.0`, not `1`).
    static func number(_ v: Float) -> String {
        let s = "\(v)"
        return s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? s : s + ".0"
    }
}
