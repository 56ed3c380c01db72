import ClaudeAPI
import Logging
import RouterCore

/// Sends a prepared call upstream, settles its pacing reservation with the usage the API reported, and records its
/// ledger rows: the one path of `POST /v1/messages`, `POST /v1/tasks` and a deferred task's synchronous run.
///
/// - `send`: paced, retried and fallen back by the dispatcher.
/// - `receive`: reads the reply and settles the reservation.
/// - `records` (CallExecutor+Records.swift) and `finish`: the priced rows, written, counted and logged.
/// - `complete` (CallExecutor+Completion.swift) and `stream` (CallExecutor+Streaming.swift) put them together.
struct CallExecutor: Sendable {
    let dispatcher: Dispatcher
    let recorder: any UsageRecorder
    let holds: BudgetHolds
    let metrics: ServiceMetrics
    /// Told the cache tokens the API reported, so it learns what the API really holds.
    let cachePlanner: CachePlanner
    let clock: any RouterClock
    /// Streams in flight, so graceful shutdown can bound them.
    let streams: StreamDrain
    let maxUpstreamResponseBytes: Int
    let logger: Logger

    /// Sends a prepared call upstream (paced, retried, with fallback).
    /// The reply comes with the call's pacing lease, which the caller settles (or releases) exactly once.
    func send(_ call: RoutedCall, path: String = "/v1/messages") async throws(RouterHTTPError) -> Dispatcher.Dispatched {
        try await dispatcher.dispatch(
            models: call.models, policy: call.policy, priority: call.priority, deadlineMillis: call.deadlineMillis,
            estimatedInput: call.decision.estimatedUsage.input, maxOutput: Int64(call.request.maxTokens)
        ) { model in
            var request = call.request
            request.model = model.id
            return UpstreamCall(
                method: "POST", path: path,
                headers: call.forwardedHeaders + [("content-type", "application/json")],
                body: request.serialized())
        }
    }

    /// A non-streamed reply, read whole, with the usage to bill.
    struct Received {
        var status: Int
        var body: [UInt8]
        /// The message, when the reply is a 2xx that parses as one.
        var message: Message?
        var usage: TokenUsage
        /// The usage is the router's estimate (a 2xx whose body is not a message).
        var estimated: Bool
        var errorType: String?
        var geo: String?
        var impossible: String?
        var upstreamLatencyMillis: Int
    }

    /// Reads a non-streamed reply and settles the call's pacing reservation: with the usage the API reported, with
    /// the estimate for a 2xx whose body is not a message (the API billed it all the same), or not at all for an
    /// error reply. Nil when the body could not be read: the reservation is then settled with the estimate for a
    /// 2xx, released otherwise.
    func receive(_ outcome: Dispatcher.Outcome, lease: consuming PacingLease, for call: RoutedCall) async -> Received? {
        let upstreamLatency = Dispatcher.millis(since: outcome.sentAt)
        let status = outcome.reply.status
        let body: [UInt8]
        do {
            body = try await outcome.reply.collectBody(upTo: maxUpstreamResponseBytes)
        } catch {
            let billed = (200..<300).contains(status)
            if billed { lease.settle(usage: estimatedUsage(call)) } else { lease.release(requestSent: true) }
            return nil
        }
        var received = Received(
            status: status, body: body, message: nil, usage: .zero, estimated: false, errorType: nil, geo: nil,
            impossible: nil, upstreamLatencyMillis: upstreamLatency)
        if (200..<300).contains(status), let message = try? Message(bytes: body) {
            let billable = Billable.of(message.usage, model: outcome.model, on: Day(epochMillis: call.arrivalMillis))
            received.message = message
            (received.usage, received.geo, received.impossible) = (billable.usage, billable.geo, billable.impossible)
            lease.settle(usage: received.usage)
        } else if (200..<300).contains(status) {
            received.usage = estimatedUsage(call)
            received.estimated = true
            received.errorType = "upstream_body_unparseable"
            lease.settle(usage: received.usage)
        } else {
            received.errorType = ErrorResponse(bytes: body)?.error.type.rawValue ?? "api_error"
            lease.release(requestSent: true)
        }
        return received
    }

    /// Writes a finished call's rows to the ledger, counts its request row in the metrics and logs it.
    func finish(
        _ call: RoutedCall, rows: [UsageRecord], request: UsageRecord, bucket: String, model: String, status: Int,
        latencyMillis: Int, overheadMillis: Int
    ) async {
        for row in rows { await recorder.record(row) }
        metrics.observe(request, bucket: bucket, overheadMillis: overheadMillis)
        logLine(call, model: model, status: status, cost: request.cost, latency: latencyMillis)
    }

    /// The usage recorded for a billed call whose usage never arrived: the router's estimate of the input and the
    /// task type's expected output (capped by `max_tokens`), flagged as estimated in the row.
    func estimatedUsage(_ call: RoutedCall) -> TokenUsage {
        TokenUsage(input: call.decision.estimatedUsage.input, output: call.decision.estimatedUsage.output)
    }

    /// The routing detail of a finished call (the access log has the rest), at debug level.
    func logLine(_ call: RoutedCall, model: String, status: Int, cost: Money, latency: Int) {
        logger.debug(
            "request",
            metadata: [
                "request_id": "\(call.requestID)", "client": "\(call.client.name)",
                "task_type": "\(call.decision.classification.taskType)",
                "confidence": "\(DecisionHeaders.format3(call.decision.classification.confidence))",
                "source": "\(call.decision.classification.source.rawValue)", "model": "\(model)",
                "status": "\(status)", "cost_usd": "\(cost.exactDollars)", "latency_ms": "\(latency)",
                "stream": "\(call.request.stream)",
            ])
    }
}
