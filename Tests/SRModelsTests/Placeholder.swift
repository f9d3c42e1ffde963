import XCTest

final class SRModelsTestsPlaceholder: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
