import XCTest

final class UpscaleCLITestsPlaceholder: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
