import XCTest

final class SRMediaTestsPlaceholder: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
