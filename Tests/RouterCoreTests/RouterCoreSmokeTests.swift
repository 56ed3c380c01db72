import Testing

@testable import RouterCore

@Suite struct RouterCoreSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: RouterCoreModule.self).hasPrefix("RouterCore"))
    }
}
