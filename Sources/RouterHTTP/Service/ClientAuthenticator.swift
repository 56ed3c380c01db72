import ClaudeAPI
import HTTPTypes
import RouterCore

/// Finds the calling client from its key (`x-api-key` or `Authorization: Bearer`), comparing hashes in constant time.
enum ClientAuthenticator {
    /// The client of an anonymous request when anonymous access is allowed.
    static let anonymous = ClientSpec(name: "anonymous", keySHA256: "")

    /// The client the request's key belongs to.
    /// - Throws: 401 `authentication_error` when the key is missing or unknown (and anonymous access is off).
    static func authenticate(_ headers: HTTPFields, policy: Policy, allowAnonymous: Bool) throws(RouterHTTPError)
        -> ClientSpec
    {
        guard let key = presentedKey(headers), !key.isEmpty else {
            if allowAnonymous {
                AccessLogEntry.current?.update { $0.client = anonymous.name }
                return anonymous
            }
            throw RouterHTTPError(.authentication, "x-api-key header is required")
        }
        // Lower-case hex as bytes, compared with the policy's hex without building strings (hot path).
        let hexDigits: StaticString = "0123456789abcdef"
        var digest: [UInt8] = []
        digest.reserveCapacity(64)
        hexDigits.withUTF8Buffer { digits in
            for byte in SHA256.digest(Array(key.utf8)) {
                digest.append(digits[Int(byte >> 4)])
                digest.append(digits[Int(byte & 0x0F)])
            }
        }
        var found: ClientSpec?
        // Every client is compared, and each comparison touches every byte, so the time taken does not say how
        // close a guess came.
        for client in policy.clients {
            if constantTimeEquals(digest, client.keySHA256.utf8) { found = client }
        }
        if let found {
            AccessLogEntry.current?.update { $0.client = found.name }
            return found
        }
        if allowAnonymous, policy.clients.isEmpty {
            AccessLogEntry.current?.update { $0.client = anonymous.name }
            return anonymous
        }
        throw RouterHTTPError(.authentication, "invalid x-api-key")
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers.combined(.apiKey) { return key }
        if let auth = headers.combined(.authorization) {
            let prefix = "bearer "
            if auth.lowercased().hasPrefix(prefix) { return String(auth.dropFirst(prefix.count)) }
        }
        return nil
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: String.UTF8View) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
