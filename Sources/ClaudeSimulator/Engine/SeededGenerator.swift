/// SplitMix64: a small, fast random generator whose sequence is fixed by its seed, so the simulator's
/// output is the same for the same request and seed.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An id suffix in the style of the API's (`msg_01…`): base-62, `count` characters.
    mutating func idSuffix(count: Int = 24) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var s = "01"
        for _ in 0..<max(0, count - 2) { s.append(alphabet[Int(next() % 62)]) }
        return s
    }
}
