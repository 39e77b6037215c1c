import Testing
@testable import DatasetIO

@Test func datasetioModuleBuilds() {}
