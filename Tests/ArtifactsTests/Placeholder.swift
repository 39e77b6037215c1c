import Testing
@testable import Artifacts

@Test func artifactsModuleBuilds() {}
