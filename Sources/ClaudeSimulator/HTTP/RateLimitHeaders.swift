import ClaudeAPI
import HTTPTypes

/// The `anthropic-ratelimit-*` headers from the bucket levels: limits, remaining (token counts rounded to the
/// nearest thousand, as the API does) and the RFC 3339 time each level is full again.
enum RateLimitHeaders {
    static func fields(_ s: RateLimiter.Snapshot) -> HTTPFields {
        func rounded(_ v: Double) -> String { String(max(0, Int((v / 1_000).rounded()) * 1_000)) }
        func reset(_ level: RateLimiter.Level) -> String { RFC3339.format(level.resetTime(at: s.now).rounded(.up)) }
        var f = HTTPFields()
        f[name("requests-limit")] = String(s.requests.limit)
        f[name("requests-remaining")] = String(max(0, Int(s.requests.available.rounded(.down))))
        f[name("requests-reset")] = reset(s.requests)
        f[name("input-tokens-limit")] = String(s.input.limit)
        f[name("input-tokens-remaining")] = rounded(s.input.available)
        f[name("input-tokens-reset")] = reset(s.input)
        f[name("output-tokens-limit")] = String(s.output.limit)
        f[name("output-tokens-remaining")] = rounded(s.output.available)
        f[name("output-tokens-reset")] = reset(s.output)
        // Without workspace limits, `tokens-*` is input and output combined.
        f[name("tokens-limit")] = String(s.input.limit + s.output.limit)
        f[name("tokens-remaining")] = rounded(max(0, s.input.available) + max(0, s.output.available))
        f[name("tokens-reset")] = RFC3339.format(max(s.input.resetTime(at: s.now), s.output.resetTime(at: s.now)).rounded(.up))
        return f
    }

    /// Only the `requests-*` headers: endpoints limited by requests alone (count_tokens, batch creation).
    static func requestFields(_ s: RateLimiter.Snapshot) -> HTTPFields {
        var f = HTTPFields()
        f[name("requests-limit")] = String(s.requests.limit)
        f[name("requests-remaining")] = String(max(0, Int(s.requests.available.rounded(.down))))
        f[name("requests-reset")] = RFC3339.format(s.requests.resetTime(at: s.now).rounded(.up))
        return f
    }

    private static func name(_ suffix: String) -> HTTPField.Name {
        HTTPField.Name("anthropic-ratelimit-" + suffix)!
    }
}
