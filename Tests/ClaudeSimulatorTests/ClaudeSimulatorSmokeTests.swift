import Testing

@testable import ClaudeSimulator

@Suite struct ClaudeSimulatorSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: ClaudeSimulatorModule.self).hasPrefix("ClaudeSimulator"))
    }
}
