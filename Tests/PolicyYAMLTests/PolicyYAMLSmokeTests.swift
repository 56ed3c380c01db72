import Testing

@testable import PolicyYAML

@Suite struct PolicyYAMLSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: PolicyYAMLModule.self).hasPrefix("PolicyYAML"))
    }
}
