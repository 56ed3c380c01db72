import Synchronization

/// Makes the API's ids (`msg_…`, `toolu_…`, `msgbatch_…`, `req_…`): a seeded sequence, so a run with the same
/// seed and the same requests hands out the same ids.
///
/// A final class around a `Mutex` because every request draws from the one sequence.
final class IDGenerator: Sendable {
    private let generator: Mutex<SeededGenerator>

    init(seed: UInt64) {
        generator = Mutex(SeededGenerator(seed: seed ^ 0x1D5_1D5))
    }

    /// A new id with the given prefix (`"msg"` gives `msg_01…`).
    func next(_ prefix: String) -> String {
        generator.withLock { prefix + "_" + $0.idSuffix() }
    }
}

/// Request ids for responses: `req_` and 24 random base-62 characters.
enum RequestIDs {
    static func next() -> String {
        var rng = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        return "req_" + rng.idSuffix()
    }
}
