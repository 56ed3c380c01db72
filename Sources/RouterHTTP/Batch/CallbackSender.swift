public import RouterCore

/// Delivers a finished task to its `callback_url`: one POST, bounded in time, only where `policy` allows.
public protocol CallbackSender: Sendable {
    /// POSTs `body` (JSON) to `url`, unless `policy` refuses the address it resolves to.
    /// - Returns: the HTTP status, or nil when no answer came (refused by the policy, connection refused, timeout:
    ///   deliberately one outcome, so the delivery state cannot be used to scan ports or hosts).
    func post(url: String, body: [UInt8], timeoutMillis: Int, policy: CallbackPolicy) async -> Int?
}
