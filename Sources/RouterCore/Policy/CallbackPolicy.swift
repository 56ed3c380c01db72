/// Where the router may POST a client's callback: public addresses only, unless the policy opens a host
/// (`batches.yaml`: `callback_allow_hosts`, `callback_allow_private`).
///
/// The check is on the *resolved* address (the caller resolves the host and connects to the address it checked), so
/// a name that resolves to 127.0.0.1, a numeric form such as `2130706433` or `0x7f000001`, or an IPv4-mapped IPv6
/// address is judged by where it really points.
public struct CallbackPolicy: Sendable, Hashable {
    /// Hosts (names or address literals, lowercased) the router may call whatever they resolve to.
    public var allowHosts: [String]
    /// Whether loopback, private (RFC 1918, fc00::/7) and shared (100.64/10) addresses are allowed for every host.
    /// Link-local (including the 169.254.169.254 metadata service), unspecified, multicast, broadcast and reserved
    /// addresses stay refused unless their host is in `allowHosts`.
    public var allowPrivate: Bool

    /// Creates a policy; the default refuses every non-public address.
    public init(allowHosts: [String] = [], allowPrivate: Bool = false) {
        self.allowHosts = allowHosts.map { Self.normalized($0) }
        self.allowPrivate = allowPrivate
    }

    /// Whether `host` (as written in the URL) is on the allow-list.
    public func allowsHost(_ host: String) -> Bool {
        allowHosts.contains(Self.normalized(host))
    }

    /// Whether the router may connect to `address` for a URL whose host is `host`.
    public func permits(host: String, address: IPAddress) -> Bool {
        if allowsHost(host) { return true }
        switch address.scope {
        case .global: return true
        case .loopback, .privateNetwork, .sharedAddressSpace: return allowPrivate
        case .linkLocal, .unspecified, .multicast, .broadcast, .reserved: return false
        }
    }

    /// Lowercased, without IPv6 brackets or a trailing dot.
    static func normalized(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        while h.hasSuffix(".") { h.removeLast() }
        return h
    }
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, and what kind of network it is on.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Network byte order.
    public let bytes: [UInt8]

    /// What an address is for, as far as the callback policy cares.
    public enum Scope: String, Sendable, Hashable {
        case global
        case loopback
        /// RFC 1918, fc00::/7.
        case privateNetwork
        /// 100.64.0.0/10 (carrier-grade NAT).
        case sharedAddressSpace
        /// 169.254/16 (cloud metadata services live here), fe80::/10.
        case linkLocal
        case unspecified
        case multicast
        case broadcast
        /// 0/8, 240/4 and other ranges that are never a public host.
        case reserved
    }

    /// An address of 4 or 16 bytes; nil otherwise.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The address's scope. An IPv6 address that embeds an IPv4 one (mapped `::ffff:a.b.c.d`, compatible
    /// `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) has the scope of the embedded address.
    public var scope: Scope {
        if bytes.count == 4 { return Self.scope(v4: bytes) }
        if let v4 = embeddedIPv4 { return Self.scope(v4: v4) }
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .linkLocal }
        // fec0::/10, deprecated site-local: private in effect.
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return .privateNetwork }
        if (b[0] & 0xFE) == 0xFC { return .privateNetwork }
        // 2001:db8::/32 documentation, 100::/64 discard.
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return .reserved }
        if b[0] == 0x01 && b[1] == 0x00 && b[2..<8].allSatisfy({ $0 == 0 }) { return .reserved }
        // Global unicast is 2000::/3; everything else is unassigned.
        return (b[0] & 0xE0) == 0x20 ? .global : .reserved
    }

    /// The IPv4 address inside an IPv6 one, when it carries one.
    var embeddedIPv4: [UInt8]? {
        guard bytes.count == 16 else { return nil }
        let b = bytes
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Array(b[12..<16]) }
        // IPv4-compatible ::a.b.c.d (not :: and ::1).
        if b[0..<12].allSatisfy({ $0 == 0 }) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1) {
            return Array(b[12..<16])
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return Array(b[12..<16])
        }
        if b[0] == 0x20 && b[1] == 0x02 { return Array(b[2..<6]) }
        return nil
    }

    static func scope(v4 b: [UInt8]) -> Scope {
        switch (b[0], b[1]) {
        case (0, _): return b.allSatisfy { $0 == 0 } ? .unspecified : .reserved
        case (127, _): return .loopback
        case (10, _), (172, 16...31), (192, 168): return .privateNetwork
        case (100, 64...127): return .sharedAddressSpace
        case (169, 254): return .linkLocal
        case (224...239, _): return .multicast
        case (255, 255) where b[2] == 255 && b[3] == 255: return .broadcast
        case (240...255, _): return .reserved
        // 192.0.0/24 protocol assignments, 192.0.2/24, 198.51.100/24, 203.0.113/24 documentation, 198.18/15 tests.
        case (192, 0) where b[2] == 0 || b[2] == 2: return .reserved
        case (198, 18...19): return .reserved
        case (198, 51) where b[2] == 100: return .reserved
        case (203, 0) where b[2] == 113: return .reserved
        default: return .global
        }
    }

    /// Dotted quad, or lowercase hex groups for IPv6 (not compressed).
    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
