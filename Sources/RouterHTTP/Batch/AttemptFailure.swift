import ClaudeAPI

/// Why one attempt of a deferred task did not succeed: what the task's `error` shows and what its ledger row says.
struct AttemptFailure: Sendable, Hashable {
    /// The error type (`api_error`, `invalid_request_error`, `batch_expired`, `batch_canceled` …).
    var type: String
    /// In words.
    var message: String
    /// The HTTP status the API would have answered with (the error type's); 0 when there was no HTTP answer for the
    /// request (expired or canceled inside a batch).
    var status: Int

    /// `type: message`, the stored form (`TaskDocument.errorJSON` splits it back).
    var reason: String { "\(type): \(message)" }

    /// An API error (an `errored` batch result, or a refused create call).
    init(_ type: ErrorType, _ message: String, status: Int? = nil) {
        self.type = type.rawValue
        self.message = message
        self.status = status ?? type.httpStatus
    }

    /// A failure with its own type and no HTTP status.
    init(type: String, message: String, status: Int = 0) {
        self.type = type
        self.message = message
        self.status = status
    }

    /// The batch expired before the request ran.
    static let expired = AttemptFailure(type: "batch_expired", message: "the batch expired before this request ran")
    /// The batch was canceled before the request ran.
    static let canceled = AttemptFailure(
        type: "batch_canceled", message: "the batch was canceled before this request ran")
}
