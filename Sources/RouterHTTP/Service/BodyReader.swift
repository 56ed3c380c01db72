import ClaudeAPI
import Hummingbird
import NIOCore

/// Reads request bodies up to the configured limit (`ServiceConfiguration.maxRequestBytes`).
struct BodyReader: Sendable {
    let maxBytes: Int

    /// Reads the request body, refusing more than `maxBytes` with 413.
    func collect(_ request: Request) async throws(RouterHTTPError) -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: maxBytes)
            return Array(buffer.readableBytesView)
        } catch {
            if error is NIOTooManyBytesError || (error as? HTTPError)?.status == .contentTooLarge {
                throw RouterHTTPError(
                    .requestTooLarge, "Request exceeds the maximum allowed number of bytes (\(maxBytes)).")
            }
            throw RouterHTTPError.invalid("could not read the request body")
        }
    }
}
