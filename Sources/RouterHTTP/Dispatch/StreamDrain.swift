import Foundation
import Synchronization

/// Bounds graceful shutdown for the streams in flight: they may run to their end for a grace period, then the
/// rest are cut so the process can exit.
///
/// Every streamed response reads its upstream body through `relay(_:)`. While the service runs that costs one task
/// per stream and nothing else. `beginShutdown(grace:)` starts the clock; when it runs out, every stream still
/// relaying ends with `StreamDrain.Cut` (its upstream transfer is cancelled), so the handler can tell the client,
/// settle the pacer and record the usage seen so far in the ledger before the server closes the connection.
public final class StreamDrain: Sendable {
    /// The error a relayed stream ends with when the shutdown grace period ran out.
    public struct Cut: Error, Sendable, Hashable, CustomStringConvertible {
        /// Says why, for logs.
        public var description: String { "the stream was cut: the router is shutting down" }
    }

    struct State {
        var nextID: UInt64 = 0
        var cutters: [UInt64: @Sendable () -> Void] = [:]
        var shuttingDown = false
        var cut = false
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a drain with no stream in flight.
    public init() {}

    /// Streams being relayed now.
    public var inFlight: Int { state.withLock { $0.cutters.count } }

    /// Whether the grace period has run out (new streams are cut at once).
    public var isCut: Bool { state.withLock { $0.cut } }

    /// Relays `upstream` chunk by chunk until it ends, or until the shutdown grace period runs out.
    ///
    /// The reading task does not wait for the consumer: what the upstream sends ahead of a slow client is held
    /// here, which a Messages stream bounds (its size follows from `max_tokens`); the router reads streams to
    /// their end anyway, for the usage in the last events.
    public func relay(_ upstream: AsyncThrowingStream<[UInt8], any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream(bufferingPolicy: .unbounded)
        // Registered before the reader starts, so a stream that ends at once still unregisters after it.
        let id: UInt64? = state.withLock { state in
            guard !state.cut else { return nil }
            state.nextID += 1
            state.cutters[state.nextID] = { continuation.finish(throwing: Cut()) }
            return state.nextID
        }
        guard let id else {
            continuation.finish(throwing: Cut())
            return stream
        }
        let reader = Task {
            do {
                for try await chunk in upstream {
                    continuation.yield(chunk)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            self.unregister(id)
        }
        // Cut, or the consumer went away: stop reading upstream (cancelling the read cancels the transfer).
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }

    /// Starts the shutdown clock: streams still in flight after `grace` are cut. Later calls change nothing.
    public func beginShutdown(grace: Duration) {
        let start: Bool = state.withLock { state in
            guard !state.shuttingDown else { return false }
            state.shuttingDown = true
            return true
        }
        guard start else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: grace)
            self?.cutAll()
        }
        state.withLock { $0.timer = timer }
    }

    /// Cuts every stream in flight now, and every stream relayed from now on.
    public func cutAll() {
        let cutters = state.withLock { state in
            state.cut = true
            state.shuttingDown = true
            defer { state.cutters = [:] }
            return Array(state.cutters.values)
        }
        for cut in cutters { cut() }
    }

    deinit {
        state.withLock { $0.timer?.cancel() }
    }

    private func unregister(_ id: UInt64) {
        _ = state.withLock { $0.cutters.removeValue(forKey: id) }
    }
}
