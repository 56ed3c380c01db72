public import ClaudeAPI

extension RoutingFeatures {
    /// Extracts the features of a decoded Messages API request (see `init(request:client:taskTypeHint:metadata:)`
    /// on the raw body, which this reads).
    public init(
        _ request: MessagesRequest, client: String, taskTypeHint: String? = nil, metadata: [String: String] = [:]
    ) {
        self.init(request: request.raw, client: client, taskTypeHint: taskTypeHint, metadata: metadata)
    }
}

extension TokenEstimator {
    /// The estimated input tokens of a decoded Messages API request.
    public static func request(_ request: MessagesRequest) -> Int64 { self.request(request.raw) }
}
