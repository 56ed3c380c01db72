import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore
import RouterCore

extension CallExecutor {
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
        var headers = DecisionHeaders.of(call, outcome: outcome, cost: nil)
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
        let executor = self
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
            let billable = Billable.of(
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
            let rows = executor.records(
                for: call, outcome: outcome, status: status, errorType: streamError ?? tracker.errorType,
                usage: finalUsage, estimated: estimated, mode: .stream,
                latencyMillis: Dispatcher.millis(since: call.arrival),
                upstreamLatencyMillis: Dispatcher.millis(since: outcome.sentAt), geo: billable.geo,
                impossible: billable.impossible)
            for row in rows { await executor.recorder.record(row) }
            // The response ends only after its row is recorded: with a synchronous ledger, a client that saw the
            // whole stream knows its row is committed (a crash between the two cannot lose it).
            if !clientGone { try? await writer.finish(nil) }
            executor.holds.release(call.requestID)
            executor.metrics.observe(rows[0], bucket: outcome.bucket, overheadMillis: 0)
            executor.logLine(
                call, model: outcome.model.id, status: status, cost: rows[0].cost,
                latency: Dispatcher.millis(since: call.arrival))
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
