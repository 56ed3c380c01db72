/// Delivers a finished task to its `callback_url`: one POST, bounded in time.
public protocol CallbackSender: Sendable {
    /// POSTs `body` (JSON) to `url`.
    /// - Returns: the HTTP status, or nil when no answer came (connection refused, timeout).
    func post(url: String, body: [UInt8], timeoutMillis: Int) async -> Int?
}
