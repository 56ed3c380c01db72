import Testing

@testable import ClaudeAPI

@Suite struct ClaudeAPISmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: ClaudeAPIModule.self).hasPrefix("ClaudeAPI"))
    }
}
