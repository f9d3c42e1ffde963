/// Reads TOML text (presets, training configs) into a table; every error is one line naming the
/// file and line.
public enum TOMLReader {
    /// The parsed table, or `PipelineError.invalidOption("FILE:LINE: what is wrong")`.
    public static func table(_ text: String, file: String) throws -> TOMLTable {
        do {
            return try TOMLParser.parse(text)
        } catch let e as TOMLError {
            throw PipelineError.invalidOption("\(file):\(e.line): \(e.message)")
        }
    }
}
