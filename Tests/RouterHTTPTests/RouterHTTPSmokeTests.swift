import Testing

@testable import RouterHTTP

@Suite struct RouterHTTPSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: RouterHTTPModule.self).hasPrefix("RouterHTTP"))
    }
}
