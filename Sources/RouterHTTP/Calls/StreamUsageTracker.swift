import ClaudeAPI
import RouterCore

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
