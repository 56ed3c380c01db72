import Testing

@testable import RouterCore

@Suite struct RateLimitAdmissionTests {
    /// One request per second, tokens unpaced: every queue position is worth exactly one second.
    static func queue(interactive: Int = 10, background: Int = 10, maxWait: Int64 = 600_000) -> AdmissionQueue {
        let limiter = RateLimiter(
            config: RateLimitConfig(requestsPerMinute: 60, inputTokensPerMinute: nil, outputTokensPerMinute: nil),
            now: 0)
        return AdmissionQueue(
            bucket: "sonnet", limiter: limiter,
            config: AdmissionConfig(
                interactiveCapacity: interactive, backgroundCapacity: background, maxWaitMillis: maxWait))
    }

    /// Drains the bucket's 60 requests so the next ones must queue.
    static func drained(_ queue: inout AdmissionQueue) {
        for _ in 0..<60 {
            _ = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        }
    }

    static func queuedID(_ admission: AdmissionQueue.Admission) -> AdmissionQueue.WaiterID? {
        if case .queued(let id) = admission { return id }
        return nil
    }

    @Test func grantsAtOnceWhenThereIsHeadroomAndNobodyWaits() {
        var queue = Self.queue()
        let (admission, actions) = queue.enqueue(priority: .background, deadline: nil, input: 1, maxOutput: 1, now: 0)
        #expect(admission == .granted(Reservation(inputTokens: 1, outputTokens: 1, grantedAt: 0)))
        #expect(actions.wakeAt == nil)
    }

    @Test func queuedRequestsAreWokenWhenTheBucketRefills() {
        var queue = Self.queue()
        Self.drained(&queue)
        let (admission, actions) = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        let id = Self.queuedID(admission)
        #expect(id != nil)
        #expect(actions.wakeAt == 1_000)
        #expect(queue.poll(now: 999).grants.isEmpty)
        #expect(queue.poll(now: 1_000).grants.map(\.id) == [id].compactMap { $0 })
    }

    @Test func interactiveRequestsGoBeforeBackgroundOnesAndEachClassIsFIFO() {
        var queue = Self.queue()
        Self.drained(&queue)
        var order: [String: AdmissionQueue.WaiterID] = [:]
        for (name, priority) in [
            ("b1", AdmissionQueue.Priority.background), ("i1", .interactive), ("b2", .background), ("i2", .interactive),
        ] {
            order[name] = Self.queuedID(
                queue.enqueue(priority: priority, deadline: nil, input: 1, maxOutput: 1, now: 0).admission)
        }
        var granted: [AdmissionQueue.WaiterID] = []
        for second in 1...4 {
            granted += queue.poll(now: Int64(second) * 1_000).grants.map(\.id)
        }
        #expect(granted == ["i1", "i2", "b1", "b2"].compactMap { order[$0] })
    }

    @Test func aFullQueueRefusesAtOnceWithTheTimeItTakesToDrain() {
        var queue = Self.queue(interactive: 3)
        Self.drained(&queue)
        for _ in 0..<3 {
            _ = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        }
        let (admission, _) = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        // Three ahead plus itself at one per second: it would have been served after 4 s.
        #expect(admission == .refused(AdmissionRefusal(code: .queueFull, retryAfterSeconds: 4, bucket: "sonnet")))
        #expect(queue.depth(.interactive) == 3)
    }

    @Test func aFullBackgroundQueueDoesNotBlockInteractiveRequests() {
        var queue = Self.queue(interactive: 2, background: 1)
        Self.drained(&queue)
        _ = queue.enqueue(priority: .background, deadline: nil, input: 1, maxOutput: 1, now: 0)
        let refused = queue.enqueue(priority: .background, deadline: nil, input: 1, maxOutput: 1, now: 0).admission
        let accepted = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0).admission
        #expect(Self.queuedID(refused) == nil)
        #expect(Self.queuedID(accepted) != nil)
    }

    @Test func aDeadlineTheEstimatedWaitCannotMeetIsRefusedAtOnce() {
        var queue = Self.queue()
        Self.drained(&queue)
        _ = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        // Second in line: served at 2 s, but the deadline is 1.5 s.
        let (admission, _) = queue.enqueue(priority: .interactive, deadline: 1_500, input: 1, maxOutput: 1, now: 0)
        #expect(
            admission
                == .refused(AdmissionRefusal(code: .deadlineUnreachable, retryAfterSeconds: 2, bucket: "sonnet")))
        #expect(queue.depth(.interactive) == 1)
    }

    @Test func aDeadlineTheEstimatedWaitCanMeetIsQueued() {
        var queue = Self.queue()
        Self.drained(&queue)
        let (admission, _) = queue.enqueue(priority: .interactive, deadline: 1_000, input: 1, maxOutput: 1, now: 0)
        #expect(Self.queuedID(admission) != nil)
    }

    @Test func theLongestWaitAppliesToRequestsWithoutADeadline() {
        var queue = Self.queue(maxWait: 500)
        Self.drained(&queue)
        let (admission, _) = queue.enqueue(priority: .background, deadline: nil, input: 1, maxOutput: 1, now: 0)
        #expect(
            admission
                == .refused(AdmissionRefusal(code: .deadlineUnreachable, retryAfterSeconds: 1, bucket: "sonnet")))
    }

    @Test func aWaiterWhoseDeadlinePassesIsRefusedWithARetryAfter() {
        var queue = Self.queue()
        Self.drained(&queue)
        _ = queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0)
        let late = Self.queuedID(
            queue.enqueue(priority: .background, deadline: 2_000, input: 1, maxOutput: 1, now: 0).admission)
        // Someone else's 429 closes the bucket for 10 s: the background waiter cannot make 2 s any more.
        let actions = queue.observe(RateLimitObservation(retryAfterMillis: 10_000), now: 0)
        #expect(actions.wakeAt == 2_000)
        let expired = queue.poll(now: 2_000).expiries
        #expect(expired.map(\.id) == [late].compactMap { $0 })
        #expect(expired.first?.refusal.code == .deadlineUnreachable)
        #expect(expired.first?.refusal.retryAfterSeconds == 8)
    }

    @Test func cancellingAWaiterRemovesItAndLetsTheNextOneGo() {
        var queue = Self.queue()
        Self.drained(&queue)
        let first = Self.queuedID(
            queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0).admission)
        let second = Self.queuedID(
            queue.enqueue(priority: .interactive, deadline: nil, input: 1, maxOutput: 1, now: 0).admission)
        let removed = queue.cancel(first ?? 0)
        let removedAgain = queue.cancel(first ?? 0)
        #expect(removed)
        #expect(!removedAgain)
        #expect(queue.depth(.interactive) == 1)
        #expect(queue.poll(now: 1_000).grants.map(\.id) == [second].compactMap { $0 })
    }

    @Test func returnedOutputWakesWaitersBeforeTheTimer() {
        let limiter = RateLimiter(
            config: RateLimitConfig(requestsPerMinute: nil, inputTokensPerMinute: nil, outputTokensPerMinute: 6_000),
            now: 0)
        var queue = AdmissionQueue(bucket: "opus", limiter: limiter)
        guard
            case .granted(let big) = queue.enqueue(
                priority: .interactive, deadline: nil, input: 0, maxOutput: 6_000, now: 0
            ).admission
        else {
            Issue.record("expected a grant")
            return
        }
        let waiter = Self.queuedID(
            queue.enqueue(priority: .interactive, deadline: nil, input: 0, maxOutput: 1_000, now: 0).admission)
        // The big call used only 200 of its 6,000: the rest comes back and the waiter goes at once.
        let actions = queue.reconcile(big, usage: TokenUsage(output: 200), now: 10)
        #expect(actions.grants.map(\.id) == [waiter].compactMap { $0 })
    }

    @Test func memoryStaysBoundedUnderAFlood() {
        var queue = Self.queue(interactive: 5, background: 5)
        Self.drained(&queue)
        var refused = 0
        for i in 0..<10_000 {
            let priority: AdmissionQueue.Priority = i.isMultiple(of: 2) ? .interactive : .background
            if case .refused = queue.enqueue(priority: priority, deadline: nil, input: 1, maxOutput: 1, now: 0)
                .admission
            {
                refused += 1
            }
        }
        #expect(queue.depth(.interactive) + queue.depth(.background) == 10)
        #expect(refused == 9_990)
    }
}
