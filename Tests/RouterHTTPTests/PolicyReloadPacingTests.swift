import Foundation
import Logging
import PolicyYAML
import RouterCore
import Testing

@testable import RouterHTTP

/// A policy reload reaches the pacer: new limits, margin and queue bounds, nobody queued or in flight lost.
@Suite struct PolicyReloadPacingTests {
    @Test func aReloadReconfiguresExistingLanesAndAQueuedWaiterIsGrantedAtTheNewRate() async throws {
        let clock = ManualClock()
        let slow = RateLimitConfig(requestsPerMinute: 60, inputTokensPerMinute: nil, outputTokensPerMinute: nil)
        let pacer = Pacer(limits: ["sonnet-4": slow], clock: clock)
        let lane = pacer.lane(for: "sonnet-4")
        for _ in 0..<60 { _ = try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1) }
        let waiter = Task { try await lane.acquire(priority: .interactive, input: 1, maxOutput: 1) }
        await clock.waitForSleepers(1)
        #expect(lane.snapshot().interactiveDepth == 1)

        // 6,000 a minute is one every 10 ms: the waiter keeps its place and goes after 10 ms instead of 1 s.
        let fast = RateLimitConfig(requestsPerMinute: 6_000, inputTokensPerMinute: nil, outputTokensPerMinute: nil)
        pacer.apply(limits: ["sonnet-4": fast], fallbackLimits: .learnFromHeaders, admission: AdmissionConfig())
        #expect(lane.snapshot().interactiveDepth == 1, "the reload dropped nobody")
        clock.advance(by: .milliseconds(10))
        #expect(try await waiter.value.grantedAt == 10)
        #expect(lane.configuration.limits == fast)
        // A lane created after the reload starts from the new numbers too.
        #expect(pacer.lane(for: "unnamed").configuration.limits == .learnFromHeaders)
    }

    @Test func theServiceHandsAReloadedLimitsFileToThePacer() throws {
        let dir = NSTemporaryDirectory() + "policies-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in PolicyLoader.embeddedFiles {
            let path = dir + "/" + file.name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let store = try PolicyStore(directory: dir, clock: SystemClock(), logger: Logger(label: "test"))
        let pacer = Pacer(policy: store.current.limits)
        let service = RouterApplication.forTests(
            configuration: ServiceConfiguration(), policies: store, transport: UnusedTransport(), pacing: pacer,
            recorder: MemoryRecorder(), logger: Logger(label: "test"))
        let lane = pacer.lane(for: "sonnet-4")
        #expect(lane.snapshot().headroom.requests == 950, "the shipped 5 % margin under 1,000 RPM")

        let limits = """
            headroom_percent: 20
            buckets:
              haiku-4-5: {rpm: 4000, itpm: 2000000, otpm: 400000}
              sonnet-4: {rpm: 4000, itpm: 2000000, otpm: 400000}
              opus-4: {rpm: 4000, itpm: 2000000, otpm: 400000}
            queue:
              max_queued_requests: 7
            """
        try limits.write(toFile: dir + "/limits.yaml", atomically: true, encoding: .utf8)
        guard case .reloaded = service.reloadPolicy() else {
            Issue.record("a valid limits.yaml should reload")
            return
        }
        let (paced, admission) = lane.configuration
        #expect(paced.requestsPerMinute == 4_000 && paced.headroomPercent == 20)
        #expect(admission.interactiveCapacity == 7 && admission.backgroundCapacity == 28)
        // The level is kept (950 were available; a reload is no way to refill a bucket), though the capacity is
        // now 3,200 and it refills at that rate (about one more every 19 ms of the test's own time).
        #expect((950..<1_100).contains(lane.snapshot().headroom.requests ?? 0))

        try "buckets: {}\nheadroom_percent: 99\n".write(toFile: dir + "/limits.yaml", atomically: true, encoding: .utf8)
        guard case .refused = service.reloadPolicy() else {
            Issue.record("an invalid limits.yaml must be refused")
            return
        }
        #expect(lane.configuration.limits.requestsPerMinute == 4_000, "the pacer keeps the last valid limits")
    }
}

/// A transport for tests that never reach the upstream.
struct UnusedTransport: UpstreamTransport {
    func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        throw UpstreamTransportError(kind: .other, message: "not used in this test")
    }
}
