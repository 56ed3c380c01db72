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

/// Applies the batch-creation RPM to `POST /v1/messages/batches` before the batch routes see the request, and
/// adds the requests headers to the answer. A middleware so the batch routes themselves stay untouched.
struct BatchCreationRateLimit<Context: RequestContext>: RouterMiddleware {
    let simulator: ClaudeSimulator

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, request.uri.path == "/v1/messages/batches" else {
            return try await next(request, context)
        }
        let headers = try simulator.admitEndpointRequest(
            bucket: SimulatorConfig.batchCreationBucket, scope: simulator.scope(request).limits,
            what: "batch creation")
        var response = try await next(request, context)
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}
