import RouterCore
import Synchronization

/// Short-lived signed tokens that open `/dashboard` in a browser without putting a key in a URL.
///
/// A token is `v1.KIND.EXPIRY.CLIENT.MAC`: `KIND` `link` (a one-time URL, 60 s) or `session` (the cookie it is
/// exchanged for, 8 h), `EXPIRY` in milliseconds since the epoch, `CLIENT` the client's name in hex, and `MAC` the
/// HMAC-SHA256 of the rest and the client's key hash under a secret made at start. So a token dies with the process,
/// when it expires, when its client's key changes or the client is removed, and (checked at each use) when the
/// client stops being an operator. A link token is accepted once.
final class DashboardTokens: Sendable {
    enum Kind: String, Sendable {
        case link
        case session
    }

    /// How long a one-time link lives.
    static let linkMillis: Int64 = 60_000
    /// How long a session cookie lives.
    static let sessionMillis: Int64 = 8 * 3_600_000

    private let secret: [UInt8]
    /// Link tokens already exchanged, with their expiry (dropped once expired).
    private let used = Mutex<[String: Int64]>([:])

    init() {
        var rng = SystemRandomNumberGenerator()
        secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// A new token of `kind` for `client`, valid until `nowMillis` plus the kind's lifetime.
    func issue(_ kind: Kind, for client: ClientSpec, nowMillis: Int64) -> (token: String, expiresMillis: Int64) {
        let expires = nowMillis + (kind == .link ? Self.linkMillis : Self.sessionMillis)
        let body = "v1.\(kind.rawValue).\(expires).\(Self.hex(Array(client.name.utf8)))"
        return (body + "." + Self.hex(mac(body, keyHash: client.keySHA256)), expires)
    }

    /// The client a token of `kind` opens under `policy`, or nil (malformed, forged, expired, a used link, or its
    /// client is gone or has another key now). A link token is spent by this call.
    func verify(_ token: String, kind: Kind, policy: Policy, nowMillis: Int64) -> ClientSpec? {
        guard token.utf8.count <= 512 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", parts[1] == kind.rawValue, let expires = Int64(parts[2]),
            expires > nowMillis, let nameBytes = Self.unhex(parts[3]), let name = String(validating: nameBytes, as: UTF8.self),
            let client = policy.client(named: name), let presented = Self.unhex(parts[4])
        else { return nil }
        let body = parts[0..<4].joined(separator: ".")
        let expected = mac(body, keyHash: client.keySHA256)
        guard presented.count == expected.count else { return nil }
        var difference: UInt8 = 0
        for (a, b) in zip(presented, expected) { difference |= a ^ b }
        guard difference == 0 else { return nil }
        if kind == .link {
            let fresh = used.withLock { used -> Bool in
                used = used.filter { $0.value > nowMillis }
                if used[token] != nil { return false }
                used[token] = expires
                return true
            }
            guard fresh else { return nil }
        }
        return client
    }

    private func mac(_ body: String, keyHash: String) -> [UInt8] {
        Self.hmac(key: secret, message: Array((body + "." + keyHash).utf8))
    }

    /// HMAC-SHA256 (RFC 2104) over the core's SHA-256.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.digest(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = SHA256.digest(block.map { $0 ^ 0x36 } + message)
        return SHA256.digest(block.map { $0 ^ 0x5c } + inner)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0, chars.count <= 400 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
