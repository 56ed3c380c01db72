import RouterCore

/// Client keys: made from the system's secure random source, known to the policy only by their SHA-256.
enum ClientKey {
    /// The prefix of every key `keys new` makes, so a leaked one is recognisable (secret scanners, logs).
    static let prefix = "crk_"
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// A new key: the prefix and 43 base-62 characters (≥ 256 bits), drawn without modulo bias.
    static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        var key = prefix
        for _ in 0..<43 { key.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
        return key
    }

    /// The lower-case hex SHA-256 of `key`'s UTF-8 bytes: what clients.yaml's `key_sha256` holds.
    static func sha256Hex(_ key: String) -> String { SHA256.hex(Array(key.utf8)) }

    /// The client whose `key_sha256` matches `key`. Every client is compared and every byte of each hash is
    /// touched, so the time taken says nothing about how close the key came.
    static func client(of key: String, in policy: Policy) -> ClientSpec? {
        let digest = Array(sha256Hex(key).utf8)
        var found: ClientSpec?
        for client in policy.clients {
            let expected = Array(client.keySHA256.lowercased().utf8)
            var difference = UInt8(expected.count == digest.count ? 0 : 1)
            for (a, b) in zip(digest, expected) { difference |= a ^ b }
            if difference == 0 { found = client }
        }
        return found
    }

    /// 1-64 characters of letters, digits, `_`, `-` and `.`.
    static func isValidClientName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                    || b == 0x2D || b == 0x2E
            }
    }
}
