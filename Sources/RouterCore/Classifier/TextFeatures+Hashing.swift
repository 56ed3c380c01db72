/// Where a feature occurrence came from, so its name can be rebuilt from the text only when it is shown.
struct FeatureSpan: Sendable, Hashable {
    enum Kind: UInt8, Sendable { case word, bigram, character, symbol, indent }
    var kind: Kind
    /// Byte range of the (first) word or the symbol run.
    var start: Int32
    var end: Int32
    /// Bigram: byte range of the second word. Character n-gram: offset in `<word>` and length.
    var start2: Int32 = 0
    var end2: Int32 = 0
}

/// FNV-1a hashing of feature bytes, seeded per feature kind so a word and a symbol with the same bytes differ.
enum FeatureHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    static func seed(_ kind: FeatureSpan.Kind) -> UInt64 { (offsetBasis ^ UInt64(kind.rawValue)) &* prime }

    @inline(__always)
    static func add(_ byte: UInt8, to hash: UInt64) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

    /// One feature for every number: the digits themselves rarely say what the task is.
    static let number: UInt64 = add(UInt8(ascii: "#"), to: seed(.word))
    static let indent: UInt64 = seed(.indent)

    @inline(__always)
    static func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(first &* 31 &+ (second ^ 0x9E37_79B9_7F4A_7C15))
    }

    /// SplitMix64's finaliser: spreads FNV's weak low bits before a hash is used as a table index.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
