import NIOCore
import HTTPTypes
import ClaudeAPI
import Foundation
import Logging
public import RouterCore
import Tracing

/// Sends one routed call upstream: waits for rate-limit headroom, retries what is retryable with backoff, falls
/// back to another model where the policy allows, and hands back the first response worth returning.
///
/// The rules live in `DispatchMachine` (RouterCore); the dispatcher drives it: it acquires headroom, sends, reads
/// the clock and draws the jitter from its injected `DispatchClock` and `RandomSource`, and feeds each result back.
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
        /// The rate-limit bucket of the model that produced the reply.
        public var bucket: String
        /// Total time spent waiting for headroom.
        public var queueWaitMillis: Int
        /// When the last attempt was sent (for upstream latency).
        public var sentAt: ContinuousClock.Instant
        /// The reply's headers by lower-case name, indexed once.
        var headers: HeaderIndex
    }

    /// A dispatched call: its outcome, and the pacing reservation of the attempt that produced the reply, which the
    /// caller settles once the usage is known (every earlier attempt's reservation is already settled).
    public struct Dispatched: ~Copyable, Sendable {
        /// What the dispatcher settled on.
        public var outcome: Outcome
        /// The reply's reservation: `settle(usage:)` it with the billed usage, or `release(requestSent: true)` it
        /// when the reply carries none (an error response).
        public var lease: PacingLease

        /// The lease alone, consuming the rest: for code outside this module, which may not consume one field of a
        /// non-copyable value (read `outcome` first).
        public consuming func takeLease() -> PacingLease { lease }
    }

    // The memberwise initializer (the only one) takes these in this order; the last three are optional.
    /// Sends calls upstream.
    let transport: any UpstreamTransport
    /// Rate-limit headroom before each attempt.
    let pacing: any Pacing
    /// What deadlines are compared with and backoffs sleep on (`ContinuousDispatchClock` in the service).
    let clock: any DispatchClock
    /// The backoff's jitter (`SystemRandomSource` in the service).
    let random: any RandomSource
    /// Retries and fallbacks are logged at `info`.
    let logger: Logger
    /// Told of every move to a fallback model (the service counts `claude_router_fallbacks_total{from,to}`).
    var onFallback: @Sendable (_ from: String, _ to: String) -> Void = { _, _ in }
    /// Told of every request the pacer turned away (`claude_router_admission_refusals_total{bucket,reason}`).
    var onRefusal: @Sendable (_ refusal: AdmissionRefusal) -> Void = { _ in }
    /// Where the `queue wait` and upstream attempt spans go (with `traceparent` sent upstream); nil is tracing off.
    var tracer: RouterTracer? = nil

    /// Dispatches `makeCall(model)` for `models[0]`, falling back along `models` as the policy's retry rules say.
    /// - Parameter deadlineMillis: when the call must be answered by, on the clock's timeline (nil: none).
    /// - Returns: the reply (a success, or the API's last error) with the lease of its reservation.
    /// - Throws: `RouterHTTPError` when no response could be had at all (admission refused, connection failures
    ///   exhausted, a transport failure no retry mends, cancellation).
    func dispatch(
        models: [ModelSpec], policy: Policy, priority: AdmissionQueue.Priority, deadlineMillis: Int64?,
        estimatedInput: Int64, maxOutput: Int64, makeCall: (ModelSpec) -> UpstreamCall
    ) async throws(RouterHTTPError) -> Dispatched {
        var machine = DispatchMachine(models: models, policy: policy.limits.retries, deadline: deadlineMillis)
        var attempts: [Attempt] = []
        var queueWait = 0
        var lastModel: ModelSpec?
        var lastStatus = 0
        var lastFailure = "upstream failure"
        var lastKind = ""
        // The reply of the attempt last answered, kept until the machine says whether it is final.
        var held: (reply: UpstreamReply, headers: HeaderIndex, sentAt: ContinuousClock.Instant)?
        var heldLease: PacingLease?
        var action = machine.receive(.start(now: clock.nowMillis()))
        // Bounded: the machine sends at most maxAttempts × models.count attempts, with at most one wait between two,
        // and every pass feeds it one event.
        for _ in 0..<(2 * max(1, policy.limits.retries.maxAttempts) * max(1, models.count) + 2) {
            switch action {
            case .finish(let model):
                guard let held, let lease = heldLease.take() else { break }
                let outcome = Outcome(
                    reply: held.reply, model: model, attempts: attempts, bucket: model.rateLimitBucket,
                    queueWaitMillis: queueWait, sentAt: held.sentAt, headers: held.headers)
                return Dispatched(outcome: outcome, lease: lease)
            case .giveUp(let failure):
                switch failure {
                case .cancelled:
                    throw RouterHTTPError(.api, "request cancelled")
                case .unreachable(let count):
                    throw RouterHTTPError(
                        .api, "the upstream could not be reached (\(lastKind)) after \(count) attempts", status: 502)
                case .failed:
                    throw RouterHTTPError(.api, lastFailure, status: 502)
                }
            case .wait(let until):
                logger.info(
                    "retrying upstream",
                    metadata: ["status": "\(lastStatus)", "after_ms": "\(max(0, until - clock.nowMillis()))"])
                do {
                    try await clock.sleep(untilMillis: until)
                    action = machine.receive(.waitFinished(now: clock.nowMillis()))
                } catch {
                    action = machine.receive(.cancelled)
                }
                continue
            case .send(let model, let number):
                if let previous = lastModel, previous.id != model.id {
                    logger.info("falling back", metadata: ["from": "\(previous.id)", "to": "\(model.id)"])
                    onFallback(previous.id, model.id)
                }
                lastModel = model
                held = nil
                let bucket = model.rateLimitBucket
                let waitStart = ContinuousClock.now
                let waitSpan = tracer?.queueWaitSpan(bucket: bucket, priority: priority)
                let lease: PacingLease
                do {
                    let reservation = try await pacing.acquire(
                        bucket: bucket, priority: priority, deadlineMillis: deadlineMillis, input: estimatedInput,
                        maxOutput: maxOutput)
                    lease = PacingLease(pacing: pacing, bucket: bucket, reservation: reservation)
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
                let attemptSpan = tracer?.attemptSpan(model: model.id, number: number, maxOutput: maxOutput)
                let end: DispatchMachine.AttemptEnd
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
                    lastStatus = reply.status
                    if (200..<300).contains(reply.status) {
                        attempts.append(attempt)
                        held = (reply, headers, sentAt)
                        end = .response(status: reply.status, hints: RetryHints())
                    } else {
                        // An error: read its (small) body so it can be returned as the API gave it, or retried.
                        let body = (try? await reply.collectBody(upTo: 1 << 20)) ?? []
                        attempt.errorType = ErrorResponse(bytes: body)?.error.type.rawValue
                        attempts.append(attempt)
                        let replayed = UpstreamReply(
                            status: reply.status, headers: reply.headers, body: Self.stream(of: body))
                        held = (replayed, headers, sentAt)
                        end = .response(status: reply.status, hints: RetryHints(header: { headers[$0] }))
                    }
                    heldLease = consume lease
                } catch let error as UpstreamTransportError {
                    attemptSpan?.endFailed(error.kind.rawValue)
                    lease.release(requestSent: false)
                    attempts.append(
                        Attempt(
                            model: model.id, status: 0, errorType: error.kind.rawValue, upstreamRequestID: nil,
                            latencyMillis: Self.millis(since: sentAt), queueWaitMillis: waited))
                    lastKind = error.kind.rawValue
                    switch error.kind {
                    case .connectFailed: end = .connection(.connectFailed)
                    case .connectionReset: end = .connection(.reset)
                    case .timedOut:
                        end = .connection(error.responseStarted ? .timedOutAfterFirstByte : .timedOutBeforeFirstByte)
                    default:
                        lastFailure = "upstream failure: \(error.message)"
                        end = .failed
                    }
                } catch {
                    attemptSpan?.endFailed("other")
                    lease.release(requestSent: false)
                    lastFailure = "upstream failure"
                    end = .failed
                }
                action = machine.receive(.attemptFinished(end, now: clock.nowMillis(), random: random.next()))
                if case .finish = action {
                } else if let lease = heldLease.take() {
                    // The reply is not final (a retry, a fallback, or the call ends without it): its reservation
                    // goes back now, before any backoff, as the API billed nothing for an error.
                    lease.release(requestSent: true)
                }
                continue
            }
            break
        }
        // Unreachable while the machine keeps its bound; a driver bug must not hang or crash the request.
        throw RouterHTTPError(.api, "upstream failure", status: 502)
    }

    static func millis(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    static func stream(of bytes: [UInt8]) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            if !bytes.isEmpty { continuation.yield(bytes) }
            continuation.finish()
        }
    }
}
