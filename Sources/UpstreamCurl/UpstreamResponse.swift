/// The status and headers of an upstream response, with its body still streaming; the client builds these.
public struct UpstreamResponse: Sendable {
    /// The HTTP status code of the final (non-1xx) response.
    public let status: Int
    /// The protocol of the status line, e.g. `HTTP/1.1` or `HTTP/2`.
    public let httpVersion: String
    /// Response headers in the order received (HTTP/2 names arrive lowercase).
    public let headers: [(name: String, value: String)]
    /// The body, delivered chunk by chunk as it arrives; consume it or drop it (dropping cancels the transfer).
    public let body: UpstreamBody

    /// The value of the first header with this name, compared case-insensitively, or `nil`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
