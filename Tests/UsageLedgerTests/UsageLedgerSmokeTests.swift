import Testing

@testable import UsageLedger

@Suite struct UsageLedgerSmokeTests {
    @Test func moduleLoads() {
        #expect(String(describing: UsageLedgerModule.self).hasPrefix("UsageLedger"))
    }
}
