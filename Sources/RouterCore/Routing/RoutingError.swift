/// Why the router could not produce a decision; carries the Claude API error type the service answers with.
public struct RoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The API `error.type` a client sees.
        public let apiErrorType: String
        /// The HTTP status a client sees.
        public let httpStatus: Int

        /// The caller named a task type the policy does not know.
        public static let unknownTaskType = Code(
            name: "unknown_task_type", apiErrorType: "invalid_request_error", httpStatus: 400)
        /// The caller named a model the policy does not know.
        public static let unknownModel = Code(name: "unknown_model", apiErrorType: "not_found_error", httpStatus: 404)
        /// The client may use no model that fits the request.
        public static let noAllowedModel = Code(
            name: "no_allowed_model", apiErrorType: "permission_error", httpStatus: 403)
        /// The request is larger than every usable model's context window.
        public static let tooLarge = Code(name: "too_large", apiErrorType: "invalid_request_error", httpStatus: 400)
        /// The client's budget is exhausted (hard limit). Budgets are not rate limits: a distinct type and status
        /// (402, as the API's billing errors) so that clients and SDKs do not retry into a closed budget.
        public static let budgetExhausted = Code(
            name: "budget_exhausted", apiErrorType: "budget_exceeded_error", httpStatus: 402)

        public var description: String { name }
    }

    /// The error's code.
    public var code: Code
    /// A message safe to show the client (no secrets).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
