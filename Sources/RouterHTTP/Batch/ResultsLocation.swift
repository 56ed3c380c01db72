import Foundation

/// Where a batch's results are read: the `results_url` the API gave, but only on the configured upstream's origin.
///
/// The transport adds the API key to every call, so a URL is followed only when its scheme, host and port are the
/// upstream's (default ports made explicit, host case ignored, no user info) and its path is under the upstream's
/// base path; anything else is refused and never fetched. With no `results_url` (or no known upstream origin to
/// check it against) the documented path `/v1/messages/batches/{id}/results` on the upstream is used.
enum ResultsLocation: Sendable, Hashable {
    /// Fetch this path (and query) through the upstream transport.
    case path(String)
    /// Do not fetch: why.
    case refused(String)

    /// Decides for batch `upstreamID`.
    /// - Parameters:
    ///   - resultsURL: the batch's `results_url`, if any.
    ///   - upstreamBaseURL: the configured upstream (`https://api.anthropic.com`), or nil when unknown.
    static func resolve(resultsURL: String?, upstreamBaseURL: String?, upstreamID: String) -> ResultsLocation {
        let standard = ResultsLocation.path("/v1/messages/batches/\(upstreamID)/results")
        guard let resultsURL, !resultsURL.isEmpty, let upstreamBaseURL, let base = Self.base(upstreamBaseURL) else {
            return standard
        }
        guard let url = URLComponents(string: resultsURL), let origin = Origin(url) else {
            return .refused("results_url is not an absolute http(s) URL")
        }
        guard origin == base.origin else {
            return .refused(
                "results_url is on \(origin.description), not on the configured upstream \(base.origin.description)")
        }
        let path = url.percentEncodedPath
        let prefix = base.path
        guard prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/") else {
            return .refused("results_url is outside the configured upstream's base path \(prefix)")
        }
        let relative = String(path.dropFirst(prefix.count))
        guard relative.hasPrefix("/") else { return .refused("results_url has no path") }
        return .path(relative + (url.percentEncodedQuery.map { "?" + $0 } ?? ""))
    }

    /// The origin and base path (without a trailing slash) of a configured base URL.
    static func base(_ text: String) -> (origin: Origin, path: String)? {
        guard let url = URLComponents(string: text), let origin = Origin(url) else { return nil }
        var path = url.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return (origin, path)
    }

    /// Scheme, host and port, normalised.
    struct Origin: Sendable, Hashable, CustomStringConvertible {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: URLComponents) {
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host?.lowercased(), !host.isEmpty, url.user == nil, url.password == nil
            else { return nil }
            self.scheme = scheme
            self.host = host
            self.port = url.port ?? (scheme == "https" ? 443 : 80)
        }

        var description: String { "\(scheme)://\(host):\(port)" }
    }
}
