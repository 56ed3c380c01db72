import Dispatch
import Foundation
import RouterCore

#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether a `callback_url` may be called, after resolving its host, and names the address to connect to.
///
/// Used when a task is submitted (a refused URL is a 400 naming `callback_url`) and again at every delivery, where
/// the connection is pinned to the checked address (`UpstreamRequest.connectTo`), so a DNS answer that changes
/// between the check and the connect (rebinding) cannot move it. Every address the host resolves to must be allowed.
enum CallbackGuard {
    /// A callback URL that may be called, and where.
    struct Target: Sendable, Hashable {
        var host: String
        var port: Int
        var address: IPAddress

        /// libcurl's `CURLOPT_CONNECT_TO` entry: the URL's host and port to the checked address.
        var connectTo: String {
            let literal = address.bytes.count == 16 ? "[\(address)]" : address.description
            let urlHost = host.contains(":") ? "[\(host)]" : host
            return "\(urlHost):\(port):\(literal):\(port)"
        }
    }

    /// The one message a refused URL gets: it does not say whether the host did not resolve or resolved somewhere
    /// refused, so the answer cannot be used to map internal names.
    static let refusal =
        "callback_url: the host is not allowed by the router's callback policy, or does not resolve (public addresses "
        + "only unless batches.yaml's callback_allow_hosts opens it)"

    /// The URL's parts when it is an absolute http(s) URL with a host, no user info, at most 2048 bytes.
    static func parse(_ url: String) -> (host: String, port: Int)? {
        guard url.utf8.count <= 2048, let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.user == nil, components.password == nil, var host = components.host, !host.isEmpty,
            // A percent-encoded host would be decoded here but maybe not by libcurl: the pin must match its host.
            !(components.percentEncodedHost ?? "").contains("%")
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { return nil }
        return (host, port)
    }

    /// Checks a submitted `callback_url` (nil: none).
    ///
    /// - Throws: 400 `invalid_request_error` naming `callback_url` when it may not be called.
    static func validate(_ url: String?, policy: CallbackPolicy) async throws(RouterHTTPError) {
        guard let url else { return }
        if await check(url, policy: policy) == nil { throw RouterHTTPError.invalid(refusal) }
    }

    /// Resolves and checks `url`; nil when it is malformed, does not resolve, or any address is refused.
    static func check(_ url: String, policy: CallbackPolicy) async -> Target? {
        guard let (host, port) = parse(url) else { return nil }
        let addresses = await resolve(host)
        guard let first = addresses.first,
            addresses.allSatisfy({ policy.permits(host: host, address: $0) })
        else { return nil }
        return Target(host: host, port: port, address: first)
    }

    /// The addresses `host` resolves to (an address literal, in any form `getaddrinfo` takes, resolves to itself),
    /// looked up on a dispatch thread: `getaddrinfo` blocks, and the cooperative pool must not.
    static func resolve(_ host: String) async -> [IPAddress] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: resolveNow(host)) }
        }
    }

    static func resolveNow(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let sockaddr = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                        var raw = v4.pointee.sin_addr
                        let bytes = withUnsafeBytes(of: &raw) { Array($0) }
                        if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                    }
                case AF_INET6:
                    sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                        var raw = v6.pointee.sin6_addr
                        let bytes = withUnsafeBytes(of: &raw) { Array($0) }
                        if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                    }
                default: break
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
