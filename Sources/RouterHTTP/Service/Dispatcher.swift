import NIOCore
import Hummingbird
import HTTPTypes
import ClaudeAPI
import Foundation
public import Logging
public import RouterCore
import Tracing

/// Sends one routed call upstream: waits for rate-limit headroom, retries what is retryable with backoff, falls
/// back to another model where the policy allows, and hands back the first response worth returning.
public struct Dispatcher: Sendable {
    /// One upstream attempt, as the ledger records it.
    public struct Attempt: Sendable {
        public var model: String
        public var status: Int
        public var errorType: String?
        public var upstreamRequestID: String?
        public var latencyMillis: Int
        public var queueWaitMillis: Int
    }

    /// What the dispatcher settled on.
    public struct Outcome: Sendable {
        /// The reply to pass on (success, or the final error the API gave).
        public var reply: UpstreamReply
        /// The model that produced it.
        public var model: ModelSpec
        /// Every attempt, in order.
        public var attempts: [Attempt]
        /// The pacer reservation still held by the reply; settle it once the usage is known.
        public var reservation: Reservation
        public var bucket: String
        /// Total time spent waiting for headroom.
        public var queueWaitMillis: Int
        /// When the last attempt was sent (for upstream latency).
        public var sentAt: ContinuousClock.Instant
        /// The reply's headers by lower-case name, indexed once.
        var headers: HeaderIndex
    }

    let transport: any UpstreamTransport
    let pacing: any Pacing
    let logger: Logger
    /// Told of every move to a fallback model (the service counts `claude_router_fallbacks_total{from,to}`).
    let onFallback: @Sendable (_ from: String, _ to: String) -> Void
    /// Told of every request the pacer turned away (`claude_router_admission_refusals_total{bucket,reason}`).
    let onRefusal: @Sendable (_ refusal: AdmissionRefusal) -> Void
    /// Where the `queue wait` and upstream attempt spans go; nil is tracing off.
    let tracer: RouterTracer?

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - transport: sends calls upstream.
    ///   - pacing: rate-limit headroom before each attempt.
    ///   - logger: retries and fallbacks are logged at `info`.
    ///   - onFallback: called with the model ids whenever a call moves to its fallback model.
    ///   - onRefusal: called whenever the pacer refuses a request (queue full, deadline out of reach).
    ///   - tracer: spans for each wait for headroom and each upstream attempt (with `traceparent` sent upstream).
    public init(
        transport: any UpstreamTransport, pacing: any Pacing, logger: Logger,
        onFallback: @escaping @Sendable (_ from: String, _ to: String) -> Void = { _, _ in },
        onRefusal: @escaping @Sendable (_ refusal: AdmissionRefusal) -> Void = { _ in },
        tracer: RouterTracer? = nil
    ) {
        self.tracer = tracer
        self.transport = transport
        self.pacing = pacing
        self.logger = logger
        self.onFallback = onFallback
        self.onRefusal = onRefusal
    }

    /// Dispatches `makeCall(model)` for `models[0]`, falling back along `models` as the retry policy says.
    /// - Throws: `RouterHTTPError` when no response could be had at all (admission refused, connection failures
    ///   exhausted).
    func dispatch(
        models: [ModelSpec], policy: Policy, priority: AdmissionQueue.Priority, deadlineMillis: Int64?,
        estimatedInput: Int64, maxOutput: Int64, nowMillis: @Sendable () -> Int64,
        makeCall: (ModelSpec) -> UpstreamCall
    ) async throws(RouterHTTPError) -> Outcome {
        let retry = RetryPolicy(
            maxAttempts: policy.limits.retries.maxAttempts, baseBackoffMillis: policy.limits.retries.baseBackoffMillis,
            maxBackoffMillis: policy.limits.retries.maxBackoffMillis,
            maxRetryAfterMillis: policy.limits.retries.maxRetryAfterMillis)
        var random = SystemRandomNumberGenerator()
        var modelIndex = 0
        var attemptOfModel = 0
        var attempts: [Attempt] = []
        var queueWait = 0
        // Bounded: every pass either returns, throws, or advances an attempt counter capped by the policy.
        while true {
            let model = models[modelIndex]
            attemptOfModel += 1
            let bucket = model.rateLimitBucket
            let waitStart = ContinuousClock.now
            let waitSpan = tracer?.queueWaitSpan(bucket: bucket, priority: priority)
            let reservation: Reservation
            do {
                reservation = try await pacing.acquire(
                    bucket: bucket, priority: priority, deadlineMillis: deadlineMillis, input: estimatedInput,
                    maxOutput: maxOutput)
                waitSpan?.end()
            } catch let refusal as AdmissionRefusal {
                waitSpan?.endRefused("\(refusal)")
                onRefusal(refusal)
                throw RouterHTTPError(
                    .rateLimit, "\(refusal)", headers: [.retryAfter: String(refusal.retryAfterSeconds)])
            } catch {
                waitSpan?.endRefused("cancelled")
                throw RouterHTTPError(.api, "request cancelled while waiting for rate-limit headroom")
            }
            let waited = Self.millis(since: waitStart)
            queueWait += waited
            let sentAt = ContinuousClock.now
            let fallbackName = modelIndex + 1 < models.count ? models[modelIndex + 1].id : nil
            let outcome: AttemptOutcome
            let attemptSpan = tracer?.attemptSpan(model: model.id, number: attempts.count + 1, maxOutput: maxOutput)
            do {
                var call = makeCall(model)
                if let attemptSpan { tracer?.inject(attemptSpan, into: &call.headers) }
                let reply = try await transport.send(call)
                let headers = HeaderIndex(reply.headers)
                attemptSpan?.endAnswered(status: reply.status, upstreamRequestID: headers["request-id"])
                pacing.observe(bucket: bucket, status: reply.status, header: { headers[$0] })
                var attempt = Attempt(
                    model: model.id, status: reply.status, errorType: nil, upstreamRequestID: headers["request-id"],
                    latencyMillis: Self.millis(since: sentAt), queueWaitMillis: waited)
                if (200..<300).contains(reply.status) {
                    attempts.append(attempt)
                    return Outcome(
                        reply: reply, model: model, attempts: attempts, reservation: reservation, bucket: bucket,
                        queueWaitMillis: queueWait, sentAt: sentAt, headers: headers)
                }
                // An error: read its (small) body so it can be returned as the API gave it, or retried.
                let body = (try? await reply.collectBody(upTo: 1 << 20)) ?? []
                attempt.errorType = ErrorResponse(bytes: body)?.error.type.rawValue
                attempts.append(attempt)
                pacing.settle(bucket: bucket, reservation: reservation, usage: nil, requestSent: true)
                let replayed = UpstreamReply(status: reply.status, headers: reply.headers, body: Self.stream(of: body))
                outcome = .response(status: reply.status, hints: RetryHints(header: { headers[$0] }))
                let decision = retry.decide(
                    outcome, attempt: attemptOfModel, now: nowMillis(), deadline: deadlineMillis,
                    fallback: fallbackName, using: &random)
                switch decision {
                case .giveUp:
                    return Outcome(
                        reply: replayed, model: model, attempts: attempts, reservation: reservation, bucket: bucket,
                        queueWaitMillis: queueWait, sentAt: sentAt, headers: headers)
                case .retry(let afterMillis):
                    logger.info(
                        "retrying upstream", metadata: ["status": "\(reply.status)", "after_ms": "\(afterMillis)"])
                    try await Self.sleep(millis: afterMillis)
                case .fallback:
                    logger.info("falling back", metadata: ["from": "\(model.id)", "to": "\(fallbackName ?? "")"])
                    if let fallbackName { onFallback(model.id, fallbackName) }
                    modelIndex += 1
                    attemptOfModel = 0
                }
            } catch let error as UpstreamTransportError {
                attemptSpan?.endFailed(error.kind.rawValue)
                pacing.settle(bucket: bucket, reservation: reservation, usage: nil, requestSent: false)
                attempts.append(
                    Attempt(
                        model: model.id, status: 0, errorType: error.kind.rawValue, upstreamRequestID: nil,
                        latencyMillis: Self.millis(since: sentAt), queueWaitMillis: waited))
                let failure: AttemptOutcome.ConnectionFailure
                switch error.kind {
                case .connectFailed: failure = .connectFailed
                case .connectionReset: failure = .reset
                case .timedOut: failure = error.responseStarted ? .timedOutAfterFirstByte : .timedOutBeforeFirstByte
                default:
                    throw RouterHTTPError(.api, "upstream failure: \(error.message)", status: 502)
                }
                let decision = retry.decide(
                    .connection(failure), attempt: attemptOfModel, now: nowMillis(), deadline: deadlineMillis,
                    fallback: fallbackName, using: &random)
                switch decision {
                case .retry(let afterMillis): try await Self.sleep(millis: afterMillis)
                case .fallback:
                    logger.info("falling back", metadata: ["from": "\(model.id)", "to": "\(fallbackName ?? "")"])
                    if let fallbackName { onFallback(model.id, fallbackName) }
                    modelIndex += 1
                    attemptOfModel = 0
                case .giveUp:
                    throw RouterHTTPError(
                        .api, "the upstream could not be reached (\(error.kind.rawValue)) after \(attempts.count) attempts",
                        status: 502)
                }
            } catch {
                attemptSpan?.endFailed("other")
                pacing.settle(bucket: bucket, reservation: reservation, usage: nil, requestSent: false)
                throw RouterHTTPError(.api, "upstream failure", status: 502)
            }
            if modelIndex >= models.count { modelIndex = models.count - 1 }
        }
    }

    static func millis(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    static func sleep(millis: Int64) async throws(RouterHTTPError) {
        do {
            try await Task.sleep(for: .milliseconds(millis))
        } catch {
            throw RouterHTTPError(.api, "request cancelled")
        }
    }

    static func stream(of bytes: [UInt8]) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            if !bytes.isEmpty { continuation.yield(bytes) }
            continuation.finish()
        }
    }
}
