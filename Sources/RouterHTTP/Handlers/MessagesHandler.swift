import Logging
import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore

/// `POST /v1/messages`: the Claude API itself, routed.
extension RouterService {
    func handleMessages(_ request: Request, context: RouterRequestContext) async throws -> Response {
        let arrival = ContinuousClock.now
        let requestID = newRequestID()
        do {
            let (client, policy) = try context.authenticated()
            let body = try await collect(request)
            let call = try await prepare(
                body: body, headers: request.headers, client: client, policy: policy, requestID: requestID,
                arrival: arrival)
            if call.request.stream {
                return try await stream(call)
            }
            let result = try await complete(call)
            return result.response
        } catch {
            holds.release(requestID)
            metrics.routerError(type: error.type.rawValue)
            return error.response(requestID: requestID)
        }
    }

    /// Reads the request body, refusing more than the configured limit with 413.
    func collect(_ request: Request) async throws(RouterHTTPError) -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: configuration.maxRequestBytes)
            return Array(buffer.readableBytesView)
        } catch {
            if error is NIOTooManyBytesError || (error as? HTTPError)?.status == .contentTooLarge {
                throw RouterHTTPError(
                    .requestTooLarge, "Request exceeds the maximum allowed number of bytes (\(configuration.maxRequestBytes)).")
            }
            throw RouterHTTPError.invalid("could not read the request body")
        }
    }

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
        let upstreamLatency = Dispatcher.millis(since: outcome.sentAt)
        let status = outcome.reply.status
        let body: [UInt8]
        do {
            body = try await outcome.reply.collectBody(upTo: configuration.maxUpstreamResponseBytes)
        } catch {
            let billed = (200..<300).contains(status)
            let usage = billed ? estimatedUsage(call) : nil
            if let usage { dispatched.lease.settle(usage: usage) } else { dispatched.lease.release(requestSent: true) }
            let rows = records(
                for: call, outcome: outcome, status: 502,
                errorType: billed ? "upstream_body_unreadable" : "api_error", usage: usage ?? .zero,
                estimated: billed, mode: .sync, latencyMillis: Dispatcher.millis(since: call.arrival),
                upstreamLatencyMillis: upstreamLatency)
            for row in rows { await recorder.record(row) }
            logger.error(
                "the upstream response could not be read",
                metadata: [
                    "request_id": "\(call.requestID)", "upstream_status": "\(status)",
                    "estimated_cost_usd": "\(rows[0].cost.exactDollars)",
                ])
            throw RouterHTTPError(.api, "the upstream response could not be read", status: 502)
        }
        var usage = TokenUsage.zero
        var errorType: String?
        var estimated = false
        var geo: String?
        var impossible: String?
        if (200..<300).contains(status), let message = try? Message(bytes: body) {
            let billable = Self.billable(
                message.usage, model: outcome.model, on: Day(epochMillis: call.arrivalMillis))
            (usage, geo, impossible) = (billable.usage, billable.geo, billable.impossible)
            dispatched.lease.settle(usage: usage)
        } else if (200..<300).contains(status) {
            usage = estimatedUsage(call)
            estimated = true
            errorType = "upstream_body_unparseable"
            dispatched.lease.settle(usage: usage)
        } else {
            errorType = ErrorResponse(bytes: body)?.error.type.rawValue ?? "api_error"
            dispatched.lease.release(requestSent: true)
        }
        let latency = Dispatcher.millis(since: call.arrival)
        let rows = records(
            for: call, outcome: outcome, status: status, errorType: errorType, usage: usage, estimated: estimated,
            mode: .sync, latencyMillis: latency, upstreamLatencyMillis: upstreamLatency, geo: geo,
            impossible: impossible)
        for row in rows { await recorder.record(row) }
        let cost = rows[0].cost
        metrics.observe(rows[0], bucket: outcome.bucket, overheadMillis: max(0, latency - upstreamLatency))
        var headers = decisionHeaders(call, outcome: outcome, cost: cost)
        headers[.contentType] = outcome.headers["content-type"] ?? "application/json"
        if let upstreamID = outcome.headers["request-id"] { headers[.requestID] = upstreamID }
        if let retryAfter = outcome.headers["retry-after"] { headers[.retryAfter] = retryAfter }
        headers[.routerOverhead] = String(max(0, Dispatcher.millis(since: call.arrival) - upstreamLatency))
        logLine(call, model: outcome.model.id, status: status, cost: cost, latency: latency)
        let response = Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        return Completed(response: response, status: status, body: body, usage: usage, cost: cost, model: outcome.model.id)
    }

    /// Streams a call through event by event; the usage is read from the events as they pass.
    ///
    /// The call's budget hold is released once the stream's row is recorded (or at once when there is no stream).
    func stream(_ call: RoutedCall) async throws(RouterHTTPError) -> Response {
        let dispatched: Dispatcher.Dispatched
        do {
            dispatched = try await send(call)
        } catch {
            holds.release(call.requestID)
            throw error
        }
        let outcome = dispatched.outcome
        let status = outcome.reply.status
        var headers = decisionHeaders(call, outcome: outcome, cost: nil)
        headers[.routerOverhead] = String(Dispatcher.millis(since: call.arrival) - Dispatcher.millis(since: outcome.sentAt))
        if let upstreamID = outcome.headers["request-id"] { headers[.requestID] = upstreamID }
        headers[.contentType] = outcome.headers["content-type"] ?? "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        guard (200..<300).contains(status) else {
            // An error before the stream started is an ordinary JSON error response.
            dispatched.lease.release(requestSent: true)
            let body = (try? await outcome.reply.collectBody(upTo: 1 << 20)) ?? []
            let rows = records(
                for: call, outcome: outcome, status: status,
                errorType: ErrorResponse(bytes: body)?.error.type.rawValue ?? "api_error", usage: .zero,
                estimated: false, mode: .stream, latencyMillis: Dispatcher.millis(since: call.arrival),
                upstreamLatencyMillis: Dispatcher.millis(since: outcome.sentAt))
            for row in rows { await recorder.record(row) }
            holds.release(call.requestID)
            headers[.contentType] = "application/json"
            return Response(
                status: HTTPResponse.Status(code: status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        let service = self
        let lease = SharedPacingLease(dispatched.lease)
        // Relayed through the drain, so graceful shutdown can bound a stream that would outlive its grace period.
        let upstream = streams.relay(outcome.reply.body)
        let body = ResponseBody { writer in
            var parser = SSEParser()
            var tracker = StreamUsageTracker()
            var clientGone = false
            var streamError: String?
            // Only whole events go to the client: the bytes of an event cut by a chunk boundary wait here for the
            // rest, so a stream cut at shutdown never leaves the client a torn event before the error event.
            var partial: [UInt8] = []
            do {
                for try await chunk in upstream {
                    for event in parser.feed(chunk) { tracker.observe(event) }
                    if !clientGone {
                        do {
                            if partial.isEmpty, SSEFraming.endOfLastEvent(chunk) == chunk.count {
                                try await writer.write(ByteBuffer(bytes: chunk))  // the usual case: whole events
                            } else {
                                partial.append(contentsOf: chunk)
                                if let end = SSEFraming.endOfLastEvent(partial) {
                                    try await writer.write(ByteBuffer(bytes: partial[..<end]))
                                    partial.removeFirst(end)
                                }
                            }
                        } catch {
                            // The client left: keep reading the upstream so the final usage is still recorded.
                            clientGone = true
                        }
                    }
                }
                if !clientGone, !partial.isEmpty { try? await writer.write(ByteBuffer(bytes: partial)) }
            } catch is StreamDrain.Cut {
                streamError = "shutdown_interrupted"
                if !clientGone {
                    // Tell the client in the stream's own terms: an `error` event, as the API sends mid-stream.
                    let event =
                        "event: error\ndata: "
                        + #"{"type":"error","error":{"type":"overloaded_error","message":"#
                        + #""The router is shutting down; the stream was cut after the shutdown grace period."}}"#
                        + "\n\n"
                    try? await writer.write(ByteBuffer(string: event))
                }
            } catch {
                streamError = "stream_interrupted"
            }
            if !clientGone { try? await writer.finish(nil) }
            let billable = Self.billable(
                tracker.usage, model: outcome.model, on: Day(epochMillis: call.arrivalMillis))
            let estimated = !tracker.sawFinalUsage
            var finalUsage = billable.usage
            if estimated, billable.impossible == nil {
                // Cut before the final usage: the input and cache counts of `message_start` are exact (the API
                // counted them before generating); only the output is estimated. Without even `message_start`, the
                // input is the router's estimate of the prompt.
                if !tracker.sawStart { finalUsage.input = call.decision.estimatedUsage.input }
                finalUsage.output = tracker.outputEstimate(reported: finalUsage.output)
            }
            lease.settle(usage: finalUsage)
            let rows = service.records(
                for: call, outcome: outcome, status: status, errorType: streamError ?? tracker.errorType,
                usage: finalUsage, estimated: estimated, mode: .stream,
                latencyMillis: Dispatcher.millis(since: call.arrival),
                upstreamLatencyMillis: Dispatcher.millis(since: outcome.sentAt), geo: billable.geo,
                impossible: billable.impossible)
            for row in rows { await service.recorder.record(row) }
            service.holds.release(call.requestID)
            service.metrics.observe(rows[0], bucket: outcome.bucket, overheadMillis: 0)
            service.logLine(
                call, model: outcome.model.id, status: status, cost: rows[0].cost,
                latency: Dispatcher.millis(since: call.arrival))
        }
        return Response(status: .ok, headers: headers, body: body)
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
                "confidence": "\(format3(call.decision.classification.confidence))",
                "source": "\(call.decision.classification.source.rawValue)", "model": "\(model)",
                "status": "\(status)", "cost_usd": "\(cost.exactDollars)", "latency_ms": "\(latency)",
                "stream": "\(call.request.stream)",
            ])
    }
}

/// Follows the usage through a Messages stream: `message_start` carries the input side (with the cache writes
/// split by TTL), each `message_delta` the cumulative totals of the fields it carries, merged over the start's
/// (`Usage.merge`: the split is kept).
struct StreamUsageTracker {
    /// The usage so far, as the API reported it.
    var usage = Usage(raw: [:])
    /// `message_start` came: the input and cache counts are the API's.
    var sawStart = false
    /// A `message_delta` with usage came and no error after it: the output count is the API's final one.
    var sawFinalUsage = false
    var errorType: String?
    /// Bytes of generated text, thinking and tool input seen in deltas: the output estimate of a stream that ends
    /// before its final `message_delta` (cut at shutdown, interrupted), at the estimator's 4 bytes per token.
    var deltaBytes: Int64 = 0

    /// The output tokens to record for a stream cut before its final usage: the larger of the count the API
    /// last reported and the estimate from the deltas.
    func outputEstimate(reported: Int64) -> Int64 { max(reported, (deltaBytes + 3) / 4) }

    mutating func observe(_ event: ServerSentEvent) {
        guard let parsed = try? StreamEvent(event) else { return }
        switch parsed.type {
        case "content_block_delta":
            if let delta = parsed.raw["delta"]?.objectValue {
                for key in ["text", "thinking", "partial_json"] {
                    if let piece = delta[key]?.stringValue { deltaBytes += Int64(piece.utf8.count) }
                }
            }
        case "message_start":
            if let u = parsed.raw["message"]?["usage"]?.objectValue {
                usage = Usage(raw: u)
                sawStart = true
            }
        case "message_delta":
            if let u = parsed.raw["usage"]?.objectValue {
                usage.merge(Usage(raw: u))
                sawFinalUsage = true
            }
        case "error":
            errorType = parsed.raw["error"]?["type"]?.stringValue ?? "api_error"
            sawFinalUsage = false
        default: break
        }
    }
}
