public import RouterCore
public import UpstreamCurl

/// Delivers callbacks over the service's libcurl client; it never adds the upstream key (the URL is the client's).
///
/// The host is resolved and checked against the callback policy first (`CallbackGuard`), and the connection is
/// pinned to the checked address; redirects are never followed.
public struct CurlCallbackSender: CallbackSender {
    let client: CurlHTTPClient

    /// Sends through `client`.
    public init(client: CurlHTTPClient) {
        self.client = client
    }

    public func post(url: String, body: [UInt8], timeoutMillis: Int, policy: CallbackPolicy) async -> Int? {
        guard let target = await CallbackGuard.check(url, policy: policy) else { return nil }
        let request = UpstreamRequest(
            method: "POST", url: url,
            headers: [("content-type", "application/json"), ("user-agent", "claude-router")],
            body: body,
            timeouts: .init(
                connect: .milliseconds(min(timeoutMillis, 5000)), total: .milliseconds(timeoutMillis),
                idle: .milliseconds(timeoutMillis)),
            connectTo: target.connectTo)
        do {
            let response = try await client.execute(request)
            // Drain the answer so the connection can be reused; its content does not matter.
            for try await _ in response.body {}
            return response.status
        } catch {
            return nil
        }
    }
}
