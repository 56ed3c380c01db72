import Foundation
import PolicyYAML
import RouterCore
import Testing

@Suite struct BatchesPolicyTests {
    @Test func theNewKeysAreReadWithTheirDefaultsWhenAbsent() throws {
        let defaults = try PolicyLoader.load(files: Fixture.with(["batches.yaml": "enabled: true\n"])).batches
        #expect(defaults == BatchConfig())
        let yaml = """
            max_pending_per_client: 7
            max_attempts: 4
            callback_timeout_seconds: 3
            callback_max_attempts: 9
            poll_interval_seconds: 2
            max_poll_interval_seconds: 20
            max_sync_runs: 2

            """
        let b = try PolicyLoader.load(files: Fixture.with(["batches.yaml": yaml])).batches
        #expect(b.maxPendingPerClient == 7)
        #expect(b.maxAttempts == 4)
        #expect(b.callbackTimeoutSeconds == 3)
        #expect(b.callbackMaxAttempts == 9)
        #expect(b.pollIntervalSeconds == 2)
        #expect(b.maxPollIntervalSeconds == 20)
        #expect(b.maxSyncRuns == 2)
    }

    @Test(arguments: [
        ("enabled: true\nmax_attempts: 0\n", "batches.yaml:2:", "'max_attempts' must be at least 1"),
        ("max_attempts: 1000\n", "batches.yaml:1:", "'max_attempts' must be at most 100"),
        ("max_pending_per_client: -1\n", "batches.yaml:1:", "'max_pending_per_client' must be at least 1"),
        ("callback_max_attempts: 0\n", "batches.yaml:1:", "'callback_max_attempts' must be at least 1"),
        ("poll_interval_seconds: 60\nmax_poll_interval_seconds: 10\n", "batches.yaml:2:", "'max_poll_interval_seconds'"),
        ("max_atempts: 3\n", "batches.yaml:1:", "max_atempts"),
        ("max_sync_runs: 0\n", "batches.yaml:1:", "'max_sync_runs' must be at least 1"),
        ("max_sync_runs: 65\n", "batches.yaml:1:", "'max_sync_runs' must be at most 64"),
    ])
    func invalidValuesAreReportedAtTheirLine(yaml: String, location: String, message: String) {
        do {
            _ = try PolicyLoader.load(files: Fixture.with(["batches.yaml": yaml]))
            Issue.record("the policy loaded")
        } catch {
            let issues = error.issues.map(\.description)
            #expect(issues.count == 1, "\(issues)")
            #expect(issues.first?.hasPrefix(location) == true, "\(issues)")
            #expect(issues.first?.contains(message) == true, "\(issues)")
        }
    }
}
