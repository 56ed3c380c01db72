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
