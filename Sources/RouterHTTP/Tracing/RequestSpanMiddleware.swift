import HTTPTypes
import Hummingbird
import RouterCore
import Tracing

/// Starts the server span of every request, under the caller's W3C `traceparent` when it sends one, and makes it
/// the current context, so the routing, queue-wait, upstream and ledger spans of the request are its children.
///
/// Added right after the access-log middleware (before the error middleware), so it sees the response made of any
/// error, and reads what the request's `AccessLogEntry` learned (client, task type, tier, model, tokens, cost) into
/// the span's attributes when it ends: at once for a whole body, after the last byte for a stream.
struct RequestSpanMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: RouterTracer

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        // Only the propagation headers go to the tracer: swift-otel logs the whole carrier when it cannot read a
        // `traceparent`, and the request's headers hold the client's key.
        var carrier: [String: String] = [:]
        for name in FieldsExtractor.propagationFields {
            if let value = request.headers[name] { carrier[name.canonicalName] = value }
        }
        if !carrier.isEmpty { tracer.tracer.extract(carrier, into: &parent, using: FieldsExtractor()) }
        let span = tracer.tracer.startSpan(request.method.rawValue, context: parent, ofKind: .server)
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method.rawValue
            attributes["url.path"] = request.uri.path
        }
        var response: Response
        do {
            response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
        } catch {
            finish(span, route: context.endpointPath, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            span.recordError(error)
            span.end()
            throw error
        }
        let route = context.endpointPath
        let status = Int(response.status.code)
        guard response.body.contentLength == nil else {
            finish(span, route: route, status: status)
            span.end()
            return response
        }
        // A stream: its usage and ledger row come while it is written, under the same span.
        let body = response.body
        let spanContext = span.context
        response.body = ResponseBody { writer in
            do {
                try await InstrumentationContext.$current.withValue(spanContext) { try await body.write(writer) }
            } catch {
                finish(span, route: route, status: status)
                span.recordError(error)
                span.end()
                throw error
            }
            finish(span, route: route, status: status)
            span.end()
        }
        return response
    }

    /// Names the span after its route and sets what the request learned.
    func finish(_ span: any Span, route: String?, status: Int) {
        if let route { span.operationName = "\(span.operationName) \(route)" }
        let fields = AccessLogEntry.current?.fields
        span.updateAttributes { attributes in
            attributes["http.route"] = route
            attributes["http.response.status_code"] = status
            guard let fields else { return }
            attributes["router.request_id"] = fields.requestID
            attributes["router.client"] = fields.client
            attributes["router.task_type"] = fields.taskType
            attributes["router.tier"] = fields.tier
            if let model = fields.model {
                attributes[GenAI.operationName] = GenAI.chat
                attributes[GenAI.providerName] = GenAI.anthropic
                attributes[GenAI.system] = GenAI.anthropic
                attributes[GenAI.responseModel] = model
            }
            if let usage = fields.usage { GenAI.setUsage(usage, on: &attributes) }
            if let cost = fields.cost { attributes["router.cost_nano_usd"] = cost.nanoUSD }
            if let wait = fields.queueWaitMillis { attributes["router.queue_wait_ms"] = wait }
            if let error = fields.errorType { attributes["error.type"] = error }
        }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

/// Reads the W3C propagation headers (`traceparent`, `tracestate`), copied out of a request's fields.
struct FieldsExtractor: Extractor {
    /// The only request headers the tracer is shown.
    static let propagationFields = [HTTPField.Name("traceparent")!, HTTPField.Name("tracestate")!]

    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key.lowercased()] }
}

/// Attribute names and values of the OpenTelemetry GenAI semantic conventions the router sets.
enum GenAI {
    static let operationName = "gen_ai.operation.name"
    /// The current name of the provider attribute; `system` is its older name, still read by many backends.
    static let providerName = "gen_ai.provider.name"
    static let system = "gen_ai.system"
    static let requestModel = "gen_ai.request.model"
    static let responseModel = "gen_ai.response.model"
    static let requestMaxTokens = "gen_ai.request.max_tokens"
    static let inputTokens = "gen_ai.usage.input_tokens"
    static let outputTokens = "gen_ai.usage.output_tokens"
    static let cacheReadTokens = "gen_ai.usage.cache_read.input_tokens"
    static let cacheCreationTokens = "gen_ai.usage.cache_creation.input_tokens"
    static let chat = "chat"
    static let anthropic = "anthropic"

    /// The usage as the conventions count it: `input_tokens` includes the cache reads and writes (the API's
    /// `input_tokens` does not), which are also given apart.
    static func setUsage(_ usage: TokenUsage, on attributes: inout SpanAttributes) {
        let cacheWrite = usage.cacheWrite5m + usage.cacheWrite1h
        attributes[inputTokens] = usage.input + usage.cacheRead + cacheWrite
        attributes[outputTokens] = usage.output
        attributes[cacheReadTokens] = usage.cacheRead
        attributes[cacheCreationTokens] = cacheWrite
    }
}
