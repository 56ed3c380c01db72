import ClaudeAPI
public import Logging
public import RouterCore
import PolicyYAML
import Synchronization
import Foundation

/// Holds the policy snapshot in force and swaps it atomically on reload.
///
/// Each request reads `current` once and keeps that snapshot to the end. A reload validates the whole directory
/// first: an invalid edit is refused, logged with every error, reported by `/readyz`, and the old snapshot keeps
/// serving.
public final class PolicyStore: Sendable {
    struct State {
        var policy: Policy
        var lastError: String?
        var reloads: Int
        /// The content hash of the last refused files: the same files are not parsed again.
        var refusedHash: String?
        /// A load abandoned after `loadTimeout` is still running on its thread: no other starts until it ends.
        var abandonedLoadRunning = false
    }

    /// How long a reload may take before it is abandoned (the old policy keeps serving).
    public let loadTimeout: Duration

    /// The directory read on reload, or nil for the embedded defaults (then reload is a no-op).
    public let directory: String?
    private let state: Mutex<State>
    private let logger: Logger

    /// Loads the policy from `directory` (or the embedded defaults).
    /// - Throws: `PolicyLoadError` when the initial policy is invalid: a service never starts on a broken policy.
    public init(directory: String?, logger: Logger, loadTimeout: Duration = .seconds(10)) throws {
        self.directory = directory
        self.logger = logger
        self.loadTimeout = loadTimeout
        let policy = try directory.map { path throws(PolicyLoadError) in try PolicyLoader.load(directory: path) }
            ?? PolicyLoader.embeddedDefaults()
        state = Mutex(State(policy: policy, lastError: nil, reloads: 0))
    }

    /// Wraps a policy built in memory (tests).
    public init(policy: Policy, logger: Logger) {
        directory = nil
        self.logger = logger
        loadTimeout = .seconds(10)
        state = Mutex(State(policy: policy, lastError: nil, reloads: 0))
    }

    /// The snapshot in force.
    public var current: Policy { state.withLock { $0.policy } }

    /// The errors of the last refused reload, or nil when the last reload (or the start) succeeded.
    public var lastError: String? { state.withLock { $0.lastError } }

    /// The number of successful reloads since start.
    public var reloadCount: Int { state.withLock { $0.reloads } }


    /// Result of a reload attempt.
    public enum ReloadOutcome: Sendable, Equatable {
        case unchanged
        case reloaded(hash: String)
        case refused(String)
    }

    /// Reads the directory again; swaps the snapshot if it changed and is valid.
    @discardableResult
    public func reload() -> ReloadOutcome {
        guard let directory else { return .unchanged }
        let files: [PolicyFile]
        do {
            files = try PolicyLoader.readFiles(directory: directory)
        } catch {
            return refuse("\(error)")
        }
        let hash = PolicyLoader.contentHash(of: files)
        if hash == current.contentHash {
            state.withLock {
                $0.lastError = nil
                $0.refusedHash = nil
            }
            return .unchanged
        }
        let previous = state.withLock { s -> (refusedHash: String?, error: String?, busy: Bool) in
            (s.refusedHash, s.lastError, s.abandonedLoadRunning)
        }
        if previous.refusedHash == hash, let error = previous.error { return .refused(error) }
        if previous.busy {
            return refuse("an earlier policy load is still running (abandoned after \(loadTimeout)); not reloading")
        }
        switch load(files) {
        case .success(let policy):
            state.withLock {
                $0.policy = policy
                $0.lastError = nil
                $0.refusedHash = nil
                $0.reloads += 1
            }
            logger.notice("policy reloaded", metadata: ["hash": "\(policy.contentHash.prefix(12))"])
            return .reloaded(hash: policy.contentHash)
        case .failure(let message):
            return refuse(message, hash: hash)
        }
    }

    private enum LoadResult: Sendable {
        case success(Policy)
        case failure(String)
    }

    /// Loads `files` on a thread of its own, waiting at most `loadTimeout`. A load that takes longer is abandoned:
    /// the thread runs on (a thread cannot be stopped) but nothing waits for it, no other load starts until it
    /// ends, and the process still stops on SIGTERM.
    private func load(_ files: [PolicyFile]) -> LoadResult {
        // Locked before `state` wherever both are held.
        let attempt = MutexBox<(result: LoadResult?, abandoned: Bool)>((nil, false))
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            let outcome: LoadResult
            do { outcome = .success(try PolicyLoader.load(files: files)) } catch { outcome = .failure("\(error)") }
            attempt.withLock { a in
                a.result = outcome
                if a.abandoned { self.state.withLock { $0.abandonedLoadRunning = false } }
            }
            done.signal()
        }
        thread.name = "policy-load"
        thread.start()
        let components = loadTimeout.components
        let nanos = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
        _ = done.wait(timeout: .now() + .nanoseconds(Int(clamping: nanos)))
        let finished = attempt.withLock { a -> LoadResult? in
            if a.result == nil {
                a.abandoned = true
                state.withLock { $0.abandonedLoadRunning = true }
            }
            return a.result
        }
        return finished ?? .failure("the policy took longer than \(loadTimeout) to load and was abandoned")
    }

    private func refuse(_ message: String, hash: String? = nil) -> ReloadOutcome {
        let changed = state.withLock { state -> Bool in
            defer {
                state.lastError = message
                if let hash { state.refusedHash = hash }
            }
            return state.lastError != message
        }
        if changed {
            logger.error("policy reload refused; the previous policy keeps serving", metadata: ["errors": "\(message)"])
        }
        return .refused(message)
    }
}
