import RouterCore
import ClaudeAPI
import Synchronization

/// A `Mutex` in a class, so it can be stored in copyable values and captured by closures.
final class MutexBox<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout sending Value) throws -> sending R) rethrows -> sending R {
        try mutex.withLock(body)
    }
}
