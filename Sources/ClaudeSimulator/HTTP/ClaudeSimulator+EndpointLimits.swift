import ClaudeAPI
import HTTPTypes
import Hummingbird

extension ClaudeSimulator {
    /// Charges one request to an endpoint's own RPM bucket (count_tokens, batch creation) and returns the
    /// `anthropic-ratelimit-requests-*` headers, or throws the API's 429 `rate_limit_error` with `retry-after`.
    ///
    /// These endpoints have request limits only, so only the requests headers are sent. The limits come from the
    /// tier's `count_tokens` / `message_batches` buckets (reference §8, §9); a tier without them uses
    /// `fallback_limits`.
    func admitEndpointRequest(bucket: String, scope: String, what: String) throws(SimulatorError) -> HTTPFields {
        let limits = config.limits(forBucket: bucket)
        let now = clock.now()
        switch limiter.admit(key: scope + "|" + bucket, limits: limits, inputTokens: 0, now: now) {
        case .admitted(let snapshot):
            return RateLimitHeaders.requestFields(snapshot)
        case .limited(let wait, let snapshot):
            var headers = RateLimitHeaders.requestFields(snapshot)
            headers[.retryAfter] = String(max(1, Int((wait / clock.timeScale).rounded(.up))))
            throw SimulatorError(
                status: .tooManyRequests, type: "rate_limit_error",
                message: "This request would exceed the rate limit for your organization of "
                    + "\(limits.requestsPerMinute) \(what) requests per minute. Please try again later.",
                headers: headers)
        }
    }
}

/// Applies the batch-creation RPM and the processing-queue limit to `POST /v1/messages/batches` before the batch
/// routes see the request, and adds the requests headers to the answer. A middleware so the batch routes themselves
/// stay untouched.
struct BatchCreationRateLimit<Context: RequestContext>: RouterMiddleware {
    let simulator: ClaudeSimulator

    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, request.uri.path == "/v1/messages/batches" else {
            return try await next(request, context)
        }
        let headers = try simulator.admitEndpointRequest(
            bucket: SimulatorConfig.batchCreationBucket, scope: simulator.scope(request).limits,
            what: "batch creation")
        var request = request
        if let limit = simulator.config.batchQueueLimit {
            // Collecting keeps the body in the request, so the route reads it again; a body the route would refuse
            // (too large, not JSON) is left for the route to answer.
            let body = try? await request.collectBody(upTo: batchBodyLimit)
            let requests = body.flatMap { try? JSONValue.parse($0.readableBytesView) }?["requests"]?.arrayValue?.count
            let now = simulator.clock.now()
            let inProgress = simulator.batches.all().filter { $0.status(at: now) != "ended" }
            let queued = inProgress.reduce(0) { $0 + $1.items.count }
            if let requests, queued + requests > limit {
                // Room appears when the first queued batch ends.
                var headers = headers
                let wait = (inProgress.map(\.endsAt).min() ?? now) - now
                headers[.retryAfter] = String(max(1, Int((wait / simulator.clock.timeScale).rounded(.up))))
                throw SimulatorError(
                    status: .tooManyRequests, type: "rate_limit_error",
                    message: "This batch of \(requests) requests would exceed your organization's limit of \(limit) "
                        + "batch requests in the processing queue (\(queued) queued). Please try again later.",
                    headers: headers)
            }
        }
        var response = try await next(request, context)
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}

/// The API's Message Batches body limit (256 MB).
let batchBodyLimit = 256 * 1_024 * 1_024
