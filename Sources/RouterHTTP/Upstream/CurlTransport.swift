public import RouterCore
public import UpstreamCurl

/// The service's `UpstreamTransport`: calls over the libcurl client, with the upstream credentials added here and
/// nowhere else.
public struct CurlTransport: UpstreamTransport {
    let client: CurlHTTPClient
    let baseURL: String
    let key: UpstreamKey?

    /// Creates a transport to `baseURL` (no trailing slash), authenticating with `key` when given.
    public init(client: CurlHTTPClient, baseURL: String, key: UpstreamKey?) {
        self.client = client
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.key = key
    }

    public func send(_ call: UpstreamCall) async throws -> UpstreamReply {
        var headers = call.headers
        // The simulator accepts any key; the real API gets the configured one.
        headers.append(("x-api-key", key?.value ?? "simulator"))
        let request = UpstreamRequest(method: call.method, url: baseURL + call.path, headers: headers, body: call.body)
        let response: UpstreamResponse
        do {
            response = try await client.execute(request)
        } catch {
            throw Self.map(error)
        }
        // Pulled from the consumer's own task: no bridging task, so no extra thread hand-off per chunk (the
        // overhead profile). Dropping the stream drops the body, which cancels the transfer.
        let body = response.body
        let stream = AsyncThrowingStream<[UInt8], any Error> {
            // The body keeps its position; an iterator is only a view of it (one reader at a time).
            var iterator = body.makeAsyncIterator()
            do throws(UpstreamError) {
                return try await iterator.next()
            } catch {
                throw Self.map(error)
            }
        }
        return UpstreamReply(status: response.status, headers: response.headers, body: stream)
    }

    static func map(_ error: UpstreamError) -> UpstreamTransportError {
        let kind: UpstreamTransportError.Kind
        switch error.code {
        case .connectFailed: kind = .connectFailed
        case .timedOut: kind = .timedOut
        case .connectionReset: kind = .connectionReset
        case .tls: kind = .tls
        case .cancelled: kind = .cancelled
        default: kind = .other
        }
        return UpstreamTransportError(kind: kind, message: error.message, responseStarted: error.receivedResponse)
    }
}
