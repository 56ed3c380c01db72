/// The Message Batches endpoints the router serves, matched exactly on the raw request path: nothing else under
/// `/v1/messages/batches` exists, so no path a client sends can reach any other upstream endpoint.
///
/// Ids are checked against `[A-Za-z0-9_-]{1,128}`: `..`, `%2e%2e`, `/`, `%2f` and every other byte outside it make
/// the path unknown (404), never a different one.
enum BatchEndpoint: Sendable, Hashable {
    /// `POST /v1/messages/batches`.
    case create
    /// `GET /v1/messages/batches`.
    case list
    /// `GET /v1/messages/batches/{id}`.
    case retrieve(String)
    /// `POST /v1/messages/batches/{id}/cancel`.
    case cancel(String)
    /// `DELETE /v1/messages/batches/{id}`.
    case delete(String)
    /// `GET /v1/messages/batches/{id}/results`.
    case results(String)

    /// What a request is.
    enum Match: Sendable, Hashable {
        /// One of the endpoints.
        case endpoint(BatchEndpoint)
        /// A known path with another method: the methods it takes.
        case wrongMethod(allowed: [String])
        /// No such path.
        case unknown
    }

    static let prefix = "/v1/messages/batches"

    /// Matches `method` and the raw (still percent-encoded) `path`, without its query.
    static func match(method: String, path: String) -> Match {
        guard path == prefix || path.hasPrefix(prefix + "/") else { return .unknown }
        let rest = path.dropFirst(prefix.count)
        if rest.isEmpty {
            switch method {
            case "POST": return .endpoint(.create)
            case "GET": return .endpoint(.list)
            default: return .wrongMethod(allowed: ["GET", "POST"])
            }
        }
        // rest starts with "/"; empty segments (a trailing or doubled slash) are unknown paths.
        let segments = rest.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard let first = segments.first, isValidID(first) else { return .unknown }
        let id = String(first)
        switch segments.count {
        case 1:
            switch method {
            case "GET": return .endpoint(.retrieve(id))
            case "DELETE": return .endpoint(.delete(id))
            default: return .wrongMethod(allowed: ["GET", "DELETE"])
            }
        case 2 where segments[1] == "cancel":
            return method == "POST" ? .endpoint(.cancel(id)) : .wrongMethod(allowed: ["POST"])
        case 2 where segments[1] == "results":
            return method == "GET" ? .endpoint(.results(id)) : .wrongMethod(allowed: ["GET"])
        default:
            return .unknown
        }
    }

    /// Whether `id` may name a batch: 1 to 128 of `A-Z a-z 0-9 _ -`.
    static func isValidID(_ id: some StringProtocol) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                    || b == 0x2D
            }
    }
}
