import HTTPTypes
import Hummingbird
import Logging
import RouterCore

/// Writes one `access` log line per request, whatever its outcome (200s, 401/400/404/405/413, 402 budget, 429,
/// upstream errors): request id, client, method, route, status, error type, task type, tier, model, tokens, cost,
/// latency and queue wait.
///
/// Added first, so it sees the response the error middleware made of any error. A streamed (or passed-through)
/// body is logged when its last byte is written, with the usage the stream reported. Never logs a key or a header;
/// a body's prompt text only for a client whose policy turns `log_prompts` on: only what `AccessLogEntry` collects.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let entry = AccessLogEntry()
        let started = ContinuousClock.now
        let method = request.method.rawValue
        let path = request.uri.path
        var response: Response
        do {
            response = try await AccessLogEntry.$current.withValue(entry) { try await next(request, context) }
        } catch {
            // The error middleware answers everything below it; this is a failure of the server itself.
            log(entry, method: method, route: context.endpointPath ?? path, status: 500, started: started)
            throw error
        }
        let route = context.endpointPath ?? path
        let status = Int(response.status.code)
        // Every response carries a request id, so every line has one a client can quote: the handlers' own, else
        // a fresh one (probes, /metrics, /dashboard).
        if !response.headers.contains(.routerRequestID) {
            response.headers[.routerRequestID] = entry.fields.requestID ?? RequestID.make()
        }
        entry.update { $0.requestID = $0.requestID ?? response.headers.combined(.routerRequestID) }
        guard response.body.contentLength == nil else {
            // The whole body is already there: the line can be written now.
            log(entry, method: method, route: route, status: status, started: started)
            return response
        }
        let body = response.body
        response.body = ResponseBody { writer in
            do {
                try await AccessLogEntry.$current.withValue(entry) { try await body.write(writer) }
            } catch {
                log(entry, method: method, route: route, status: status, started: started)
                throw error
            }
            log(entry, method: method, route: route, status: status, started: started)
        }
        return response
    }

    func log(_ entry: AccessLogEntry, method: String, route: String, status: Int, started: ContinuousClock.Instant) {
        // The line is an info line: below that level (`--log-level warning`/`error`) nothing is built.
        guard logger.logLevel <= .info else { return }
        let fields = entry.fields
        let elapsed = ContinuousClock.now - started
        let latency = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        var metadata: Logger.Metadata = [
            "request_id": fields.requestID.map { .string($0) } ?? .string(""),
            "client": .string(fields.client ?? ""),
            "method": .string(method), "route": .string(route), "status": .stringConvertible(status),
            "latency_ms": .stringConvertible(latency),
        ]
        if let error = fields.errorType ?? (status >= 400 ? Self.errorType(status: status) : nil) {
            metadata["error_type"] = .string(error)
        }
        if let taskType = fields.taskType { metadata["task_type"] = .string(taskType) }
        if let tier = fields.tier { metadata["tier"] = .string(tier) }
        if let model = fields.model { metadata["model"] = .string(model) }
        if let usage = fields.usage {
            metadata["input_tokens"] = .stringConvertible(usage.input)
            metadata["output_tokens"] = .stringConvertible(usage.output)
            metadata["cache_read_tokens"] = .stringConvertible(usage.cacheRead)
            metadata["cache_write_tokens"] = .stringConvertible(usage.cacheWrite5m + usage.cacheWrite1h)
        }
        if let cost = fields.cost {
            metadata["cost_usd"] = .string(cost.exactDollars)
            metadata["cost_nano_usd"] = .stringConvertible(cost.nanoUSD)
        }
        if let wait = fields.queueWaitMillis { metadata["queue_wait_ms"] = .stringConvertible(wait) }
        if let prompt = fields.prompt { metadata["prompt"] = .string(prompt) }
        logger.info("access", metadata: metadata)
    }

    /// The API error type a status stands for, when no code below named one (a passed-through upstream error).
    static func errorType(status: Int) -> String {
        switch status {
        case 400, 405: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        default: "api_error"
        }
    }
}
