/// An error a user can act on: one line saying what is wrong and where (`description`), and the
/// exit code the command line ends with.
///
/// Every module's error enum conforms, so the CLI prints any library error the same way without
/// knowing which module it came from.
public protocol UserFacingError: Error, CustomStringConvertible, Sendable {
    /// 1: usage or input error (the default), 2: processing error, 130: interrupted.
    var exitCode: Int32 { get }
}

extension UserFacingError {
    /// Usage or input error.
    public var exitCode: Int32 { 1 }
}
