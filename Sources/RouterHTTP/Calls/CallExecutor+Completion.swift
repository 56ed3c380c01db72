import ClaudeAPI
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import RouterCore

extension CallExecutor {
    /// The result of a non-streamed call: the response to send and what the ledger got.
    struct Completed {
        var response: Response
        var status: Int
        var body: [UInt8]
        var usage: TokenUsage
        var cost: Money
        var model: String
    }

    /// Sends a non-streamed call, records it, and builds the response (the upstream's body, byte for byte).
    ///
    /// The call's budget hold is released once its row is recorded. A 2xx whose body cannot be read (or is not a
    /// message) was billed by the API all the same: it is recorded with the estimated usage, flagged as estimated,
    /// with the error type `upstream_body_unreadable` (answered 502) or `upstream_body_unparseable` (passed on).
    func complete(_ call: RoutedCall) async throws(RouterHTTPError) -> Completed {
        defer { holds.release(call.requestID) }
        let dispatched = try await send(call)
        let outcome = dispatched.outcome
        guard let received = await receive(outcome, lease: dispatched.lease, for: call) else {
            let status = outcome.reply.status
            let billed = (200..<300).contains(status)
            let rows = records(
                for: call, outcome: outcome, status: 502,
                errorType: billed ? "upstream_body_unreadable" : "api_error",
                usage: billed ? estimatedUsage(call) : .zero, estimated: billed, mode: .sync,
                latencyMillis: Dispatcher.millis(since: call.arrival),
                upstreamLatencyMillis: Dispatcher.millis(since: outcome.sentAt))
            for row in rows { await recorder.record(row) }
            logger.error(
                "the upstream response could not be read",
                metadata: [
                    "request_id": "\(call.requestID)", "upstream_status": "\(status)",
                    "estimated_cost_usd": "\(rows[0].cost.exactDollars)",
                ])
            throw RouterHTTPError(.api, "the upstream response could not be read", status: 502)
        }
        let status = received.status
        let upstreamLatency = received.upstreamLatencyMillis
        let latency = Dispatcher.millis(since: call.arrival)
        let rows = records(
            for: call, outcome: outcome, status: status, errorType: received.errorType, usage: received.usage,
            estimated: received.estimated, mode: .sync, latencyMillis: latency, upstreamLatencyMillis: upstreamLatency,
            geo: received.geo, impossible: received.impossible)
        let cost = rows[0].cost
        await finish(
            call, rows: rows, request: rows[0], bucket: outcome.bucket, model: outcome.model.id, status: status,
            latencyMillis: latency, overheadMillis: max(0, latency - upstreamLatency))
        var headers = DecisionHeaders.of(call, outcome: outcome, cost: cost)
        // Names the decision headers do not use: appended (see `DecisionHeaders.of`).
        headers.append(HTTPField(name: .contentType, value: outcome.headers["content-type"] ?? "application/json"))
        if let upstreamID = outcome.headers["request-id"] {
            headers.append(HTTPField(name: .requestID, value: upstreamID))
        }
        if let retryAfter = outcome.headers["retry-after"] {
            headers.append(HTTPField(name: .retryAfter, value: retryAfter))
        }
        headers.append(
            HTTPField(
                name: .routerOverhead, value: String(max(0, Dispatcher.millis(since: call.arrival) - upstreamLatency))))
        let response = Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: received.body)))
        return Completed(
            response: response, status: status, body: received.body, usage: received.usage, cost: cost,
            model: outcome.model.id)
    }
}
