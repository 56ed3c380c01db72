import RouterCore
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        ("dev-key-change-me", "57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823"),
    ])
    func matchesKnownDigests(input: String, hex: String) {
        #expect(SHA256.hex(Array(input.utf8)) == hex)
    }

    /// Lengths on each side of the padding boundaries (56 mod 64: the length no longer fits the last block) and of
    /// whole blocks, where the digest reads whole blocks in place and pads the tail in a buffer. Expected values from
    /// Python's `hashlib.sha256` over bytes `(i * 7 + 3) % 256`.
    @Test(arguments: [
        (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
        (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
        (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
        (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
        (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
        (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
        (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
    ])
    func matchesAtEveryPaddingBoundary(length: Int, hex: String) {
        let bytes = (0..<length).map { UInt8(($0 * 7 + 3) % 256) }
        #expect(SHA256.hex(bytes) == hex)
        #expect(SHA256.digest(bytes).count == 32)
    }

    @Test func handlesInputsAcrossBlockBoundaries() {
        // 55, 56 and 64 bytes straddle the padding boundary; one million 'a' is the FIPS long vector.
        #expect(
            SHA256.hex(Array(repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(
            SHA256.hex(Array(repeating: 0x61, count: 56))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }
}
