import Testing
@testable import Reports

@Test func reportsModuleBuilds() {}
