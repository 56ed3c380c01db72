#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where the dispatcher draws the jitter of its retry backoff.
public protocol RandomSource: Sendable {
    /// A uniformly random 64-bit number.
    func next() -> UInt64
}

/// The system's cryptographically secure generator, drawn through `RandomPool.shared` (one read of the kernel's
/// generator per 512 numbers instead of a `getrandom(2)` call per number).
public struct SystemRandomSource: RandomSource {
    /// Creates the source.
    public init() {}

    public func next() -> UInt64 { RandomPool.shared.next() }
}

/// Random numbers from the kernel's cryptographically secure generator (`/dev/urandom`, which
/// `SystemRandomNumberGenerator` also reads, through `getrandom(2)`), fetched 4 KiB at a time and handed out under a
/// lock.
///
/// Each request takes two numbers for its id and one per upstream attempt for the backoff's jitter. One
/// `getrandom(2)` call costs about 0.4 µs here, a locked read from the buffer a few nanoseconds; the numbers are the
/// same kernel randomness either way, so ids stay unguessable.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private struct Buffer {
        /// Numbers not yet handed out: `words[next...]`.
        var words: [UInt64]
        var next: Int
    }

    private static let count = 512
    private let buffer = Mutex(Buffer(words: [], next: 0))

    /// A uniformly random 64-bit number.
    func next() -> UInt64 {
        buffer.withLock { buffer in
            if buffer.next == buffer.words.count {
                buffer.words = Self.fetch()
                buffer.next = 0
            }
            defer { buffer.next += 1 }
            return buffer.words[buffer.next]
        }
    }

    /// `count` numbers read from `/dev/urandom` in one `read(2)` (a few if a signal interrupts it), or from
    /// `SystemRandomNumberGenerator` one by one where that device cannot be read.
    private static func fetch() -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: count) { words, initialized in
            let bytes = UnsafeMutableRawBufferPointer(words)
            var filled = 0
            #if canImport(Glibc)
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                for _ in 0..<8 where filled < bytes.count {
                    let n = read(fd, bytes.baseAddress! + filled, bytes.count - filled)
                    if n > 0 { filled += n } else if n == 0 || errno != EINTR { break }
                }
                close(fd)
            }
            #endif
            if filled < bytes.count {
                var system = SystemRandomNumberGenerator()
                for i in 0..<count { words[i] = system.next() }
            }
            initialized = count
        }
    }
}
