/// A 128-bit FNV-1a hash, stable across processes and runs (Swift's `Hasher` is randomly seeded),
/// used for cache prefix keys and for deterministic output.
struct StableHash: Hashable, Sendable {
    private(set) var high: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var low: UInt64 = 0x8422_2325_cbf2_9ce4

    init() {}

    mutating func combine(bytes: some Sequence<UInt8>) {
        for b in bytes {
            high = (high ^ UInt64(b)) &* 0x0000_0100_0000_01B3
            low = (low ^ UInt64(b)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
    }

    mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
        combine(bytes: CollectionOfOne(0xFF))
    }

    mutating func combine(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { combine(bytes: $0) }
    }

    /// A 64-bit digest for seeding.
    var value: UInt64 { high ^ (low &* 0x9E37_79B9_7F4A_7C15) }
}
