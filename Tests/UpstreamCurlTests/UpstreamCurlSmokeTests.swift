import Testing

@testable import UpstreamCurl

@Suite struct UpstreamCurlSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: UpstreamCurlModule.self).hasPrefix("UpstreamCurl"))
    }
}
