/// Orders names the way people count: `frame2` before `frame10`, case-insensitively.
public enum NaturalOrder {
    /// True when `a` sorts before `b`: runs of digits compare by value, other text by
    /// case-folded characters; ties fall back to plain comparison so the order is total.
    public static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                let si = i, sj = j
                while i < x.count && isDigit(x[i]) { i += 1 }
                while j < y.count && isDigit(y[j]) { j += 1 }
                let da = trimZeros(x[si..<i]), db = trimZeros(y[sj..<j])
                if da.count != db.count { return da.count < db.count }
                for (p, q) in zip(da, db) where p != q { return p.value < q.value }
                continue
            }
            let p = fold(x[i]), q = fold(y[j])
            if p != q { return p < q }
            i += 1; j += 1
        }
        if x.count - i != y.count - j { return x.count - i < y.count - j }
        return a < b
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    private static func fold(_ c: Unicode.Scalar) -> UInt32 { c.value >= 65 && c.value <= 90 ? c.value + 32 : c.value }
    private static func trimZeros(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var t = s
        while t.count > 1, t.first?.value == 48 { t = t.dropFirst() }
        return t
    }
}
