import ClaudeAPI
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads request bodies up to the configured limit (`ServiceConfiguration.maxRequestBytes`).
struct BodyReader: Sendable {
    let maxBytes: Int

    /// Reads the request body, refusing more than `maxBytes` with 413, and a body sent in a coding the router does
    /// not decode (`checkCodings`) before reading it.
    func collect(_ request: Request) async throws(RouterHTTPError) -> [UInt8] {
        try Self.checkCodings(request.headers)
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

    /// Refuses a body the router would otherwise misread: a `Content-Encoding` other than `identity` (415), or a
    /// transfer coding other than `chunked` (400). The router does not decompress bodies, and the SDKs send them
    /// plain; without this a gzip body was refused as "invalid JSON … unexpected character", which sends its sender
    /// looking in the wrong place.
    static func checkCodings(_ headers: HTTPFields) throws(RouterHTTPError) {
        if let unsupported = codings(headers.combined(.contentEncoding)).first(where: { $0 != "identity" }) {
            throw RouterHTTPError(
                .invalidRequest,
                "Content-Encoding '\(unsupported)' is not supported: send the request body uncompressed.",
                status: 415)
        }
        if let unsupported = codings(headers.combined(.transferEncoding)).first(where: { $0 != "chunked" }) {
            throw RouterHTTPError.invalid(
                "Transfer-Encoding '\(unsupported)' is not supported: send the request body with a Content-Length or"
                    + " Transfer-Encoding: chunked.")
        }
    }

    /// The codings of a comma-separated coding header, lowercased, without parameters; the first few, each cut to
    /// 40 characters, since they are quoted back to the client.
    private static func codings(_ value: String?) -> [String] {
        guard let value else { return [] }
        return value.split(separator: ",").prefix(8).compactMap { part in
            var name = part.prefix { $0 != ";" }
            while name.first?.isWhitespace == true { name = name.dropFirst() }
            while name.last?.isWhitespace == true { name = name.dropLast() }
            return name.isEmpty ? nil : String(name.prefix(40)).lowercased()
        }
    }
}
