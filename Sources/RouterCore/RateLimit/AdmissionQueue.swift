/// A bounded priority queue in front of one rate-limit bucket: who gets headroom next, and who is refused at once.
///
/// Interactive requests go before background ones; within a class the order is FIFO and strict (a large request at
/// the head is not overtaken by smaller ones of its class, so it cannot starve). A request is refused at once, with
/// a `retry-after` derived from the bucket's refill, when its class's queue is full or when the estimated wait
/// would end after its deadline. A pure state machine like `RateLimiter`: every mutation takes `now` and returns
/// the `Actions` the owner must carry out (resume granted or refused waiters, arm a timer for `wakeAt`).
public struct AdmissionQueue: Sendable {
    /// The two classes of service.
    public enum Priority: String, Sendable, Hashable, CaseIterable {
        /// A user is waiting: served first.
        case interactive
        /// Work that can wait: served when no interactive request is waiting.
        case background
    }

    /// Identifies a queued request.
    public typealias WaiterID = UInt64

    /// What `enqueue` decided for the new request.
    public enum Admission: Sendable, Hashable {
        /// Headroom was there; send now.
        case granted(Reservation)
        /// Waiting; the grant or refusal arrives in a later `Actions`.
        case queued(WaiterID)
        /// Turned away at once.
        case refused(AdmissionRefusal)
    }

    /// A queued request that got its headroom.
    public struct Grant: Sendable, Hashable {
        /// The waiter.
        public var id: WaiterID
        /// What it holds.
        public var reservation: Reservation
    }

    /// A queued request that will not get headroom in time.
    public struct Expiry: Sendable, Hashable {
        /// The waiter.
        public var id: WaiterID
        /// Why, and when to retry.
        public var refusal: AdmissionRefusal
    }

    /// What the owner must do after a mutation.
    public struct Actions: Sendable, Hashable {
        /// Waiters to resume with their reservation.
        public var grants: [Grant] = []
        /// Waiters to resume with a refusal.
        public var expiries: [Expiry] = []
        /// When to call `poll(now:)` next (milliseconds), or nil when nobody waits.
        public var wakeAt: Int64?
    }

    struct Waiter: Sendable, Hashable {
        var id: WaiterID
        var deadline: Int64
        var input: Int64
        var maxOutput: Int64
    }

    /// The bucket's name, for refusals and metrics.
    public let bucket: String
    /// The queue limits.
    public private(set) var config: AdmissionConfig
    /// The bucket's pacing state.
    public private(set) var limiter: RateLimiter
    private var interactive: [Waiter] = []
    private var background: [Waiter] = []
    private var nextID: WaiterID = 1

    /// Creates an empty queue over a limiter.
    public init(bucket: String, limiter: RateLimiter, config: AdmissionConfig = AdmissionConfig()) {
        self.bucket = bucket
        self.limiter = limiter
        self.config = config
    }

    /// Requests waiting in a class.
    public func depth(_ priority: Priority) -> Int {
        priority == .interactive ? interactive.count : background.count
    }

    /// Asks for headroom for one request.
    /// - Parameters:
    ///   - deadline: the latest time (milliseconds) the request may still be sent, or nil; the configuration's
    ///     `maxWaitMillis` caps it either way.
    ///   - input: the estimated input tokens that count toward ITPM.
    ///   - maxOutput: the request's `max_tokens`.
    /// - Returns: the new request's admission, and the actions earlier waiters need (time may have passed).
    public mutating func enqueue(priority: Priority, deadline: Int64?, input: Int64, maxOutput: Int64, now: Int64)
        -> (admission: Admission, actions: Actions)
    {
        var actions = poll(now: now)
        let limit = now + config.maxWaitMillis
        let deadline = min(deadline ?? limit, limit)
        let ahead = priority == .interactive ? interactive.count : interactive.count + background.count
        if ahead == 0, deadline >= now,
            case .granted(let reservation) = limiter.reserve(
                now: now, input: input, maxOutput: maxOutput)
        {
            actions.wakeAt = nextWake(now: now)
            return (.granted(reservation), actions)
        }
        let wait = millisToServe(through: priority, plus: (input, maxOutput), now: now)
        let capacity = priority == .interactive ? config.interactiveCapacity : config.backgroundCapacity
        if depth(priority) >= capacity {
            let refusal = AdmissionRefusal(
                code: .queueFull, retryAfterSeconds: AdmissionRefusal.seconds(ceilingOf: wait), bucket: bucket)
            return (.refused(refusal), actions)
        }
        if now + wait > deadline {
            let refusal = AdmissionRefusal(
                code: .deadlineUnreachable, retryAfterSeconds: AdmissionRefusal.seconds(ceilingOf: wait),
                bucket: bucket)
            return (.refused(refusal), actions)
        }
        let waiter = Waiter(id: nextID, deadline: deadline, input: input, maxOutput: maxOutput)
        nextID += 1
        if priority == .interactive { interactive.append(waiter) } else { background.append(waiter) }
        actions.wakeAt = nextWake(now: now)
        return (.queued(waiter.id), actions)
    }

    /// Grants what the buckets allow now, in priority order, and refuses waiters whose deadline has come.
    public mutating func poll(now: Int64) -> Actions {
        var actions = Actions()
        // Bounded: every pass removes a waiter or stops.
        granting: for _ in 0...(interactive.count + background.count) {
            guard let (priority, head) = self.head() else { break }
            switch limiter.reserve(now: now, input: head.input, maxOutput: head.maxOutput) {
            case .granted(let reservation):
                removeHead(priority)
                actions.grants.append(Grant(id: head.id, reservation: reservation))
            case .wait(let until):
                guard until > head.deadline else { break granting }
                // The head cannot make its deadline: refuse it now rather than when the deadline passes.
                removeHead(priority)
                let refusal = AdmissionRefusal(
                    code: .deadlineUnreachable, retryAfterSeconds: AdmissionRefusal.seconds(ceilingOf: until - now),
                    bucket: bucket)
                actions.expiries.append(Expiry(id: head.id, refusal: refusal))
            }
        }
        expireOverdue(now: now, into: &actions)
        actions.wakeAt = nextWake(now: now)
        return actions
    }

    /// Removes a waiter (its caller gave up). Returns false when it was no longer queued (already granted or
    /// refused). Call `poll(now:)` afterwards: the waiters behind it may now go.
    public mutating func cancel(_ id: WaiterID) -> Bool {
        if let index = interactive.firstIndex(where: { $0.id == id }) {
            interactive.remove(at: index)
            return true
        }
        if let index = background.firstIndex(where: { $0.id == id }) {
            background.remove(at: index)
            return true
        }
        return false
    }

    /// Settles a reservation with real usage (see `RateLimiter.reconcile`) and grants what that frees.
    public mutating func reconcile(_ reservation: Reservation, usage: TokenUsage, now: Int64) -> Actions {
        limiter.reconcile(reservation, usage: usage, now: now)
        return poll(now: now)
    }

    /// Gives a failed call's reservation back (see `RateLimiter.release`) and grants what that frees.
    public mutating func release(_ reservation: Reservation, requestSent: Bool, now: Int64) -> Actions {
        limiter.release(reservation, requestSent: requestSent, now: now)
        return poll(now: now)
    }

    /// Takes new limits and queue bounds (a policy reload) and grants what they allow now.
    ///
    /// Nobody queued is dropped: waiters keep their place and their deadline, and a smaller capacity only turns
    /// away newcomers until the queue has drained below it. The limiter keeps its levels (see
    /// `RateLimiter.reconfigure`), so reservations held by calls in flight still settle correctly.
    public mutating func reconfigure(limits: RateLimitConfig, admission: AdmissionConfig, now: Int64) -> Actions {
        limiter.reconfigure(limits, now: now)
        config = admission
        return poll(now: now)
    }

    /// Applies a response's rate-limit headers (see `RateLimiter.observe`) and re-plans.
    public mutating func observe(_ observation: RateLimitObservation, now: Int64) -> Actions {
        limiter.observe(observation, now: now)
        return poll(now: now)
    }

    // MARK: - Internals

    private func head() -> (Priority, Waiter)? {
        if let first = interactive.first { return (.interactive, first) }
        if let first = background.first { return (.background, first) }
        return nil
    }

    private mutating func removeHead(_ priority: Priority) {
        if priority == .interactive { interactive.removeFirst() } else { background.removeFirst() }
    }

    /// The estimated drain time of everything queued at `priority` or above, plus an optional newcomer.
    private func millisToServe(through priority: Priority, plus extra: (Int64, Int64)?, now: Int64) -> Int64 {
        var requests: Int64 = 0
        var input: Int64 = 0
        var output: Int64 = 0
        let queues = priority == .interactive ? [interactive] : [interactive, background]
        for queue in queues {
            for waiter in queue {
                requests += 1
                input += limiter.clampedInput(waiter.input)
                output += limiter.clampedOutput(waiter.maxOutput)
            }
        }
        if let (extraInput, extraOutput) = extra {
            requests += 1
            input += limiter.clampedInput(extraInput)
            output += limiter.clampedOutput(extraOutput)
        }
        return limiter.millisToServe(requests: requests, input: input, output: output, now: now)
    }

    private mutating func expireOverdue(now: Int64, into actions: inout Actions) {
        guard interactive.contains(where: { $0.deadline <= now }) || background.contains(where: { $0.deadline <= now })
        else { return }
        let limiter = self.limiter
        let bucket = self.bucket
        var requests: Int64 = 0
        var input: Int64 = 0
        var output: Int64 = 0
        func sweep(_ queue: inout [Waiter]) {
            queue.removeAll { waiter in
                requests += 1
                input += limiter.clampedInput(waiter.input)
                output += limiter.clampedOutput(waiter.maxOutput)
                guard waiter.deadline <= now else { return false }
                let wait = limiter.millisToServe(requests: requests, input: input, output: output, now: now)
                actions.expiries.append(
                    Expiry(
                        id: waiter.id,
                        refusal: AdmissionRefusal(
                            code: .deadlineUnreachable, retryAfterSeconds: AdmissionRefusal.seconds(ceilingOf: wait),
                            bucket: bucket)))
                return true
            }
        }
        sweep(&interactive)
        sweep(&background)
    }

    private func nextWake(now: Int64) -> Int64? {
        guard let (_, head) = head() else { return nil }
        let earliestDeadline = min(
            interactive.map(\.deadline).min() ?? Int64.max, background.map(\.deadline).min() ?? Int64.max)
        let headroom =
            now
            + limiter.millisUntilAvailable(
                requests: 1, input: head.input, output: head.maxOutput, now: now)
        return min(headroom, earliestDeadline)
    }
}
