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
        /// The files' fingerprint when they were last read in full, and what that read concluded (`.unchanged`
        /// for a policy now in force, `.refused` for one refused); nil until a read whose outcome can be reused.
        var lastRead: (fingerprint: PolicyFingerprint, outcome: ReloadOutcome)?
        /// Polls answered from `lastRead` since the last full read.
        var answeredFromFingerprint = 0
        /// Full reads of the directory since start (tests).
        var fullReads = 0
    }

    /// Polls answered from the files' fingerprint before one reads and hashes them anyway (a file system whose
    /// change times do not move on an edit is still reloaded within this many polls).
    static let fullReadEvery = 60

    /// How long a reload may take before it is abandoned (the old policy keeps serving).
    public let loadTimeout: Duration

    /// The directory read on reload, or nil for the embedded defaults (then reload is a no-op).
    public let directory: String?
    private let state: Mutex<State>
    private let logger: Logger
    /// Tells whether the files' change times are old enough for their fingerprint to stand (nil without a directory).
    private let clock: (any RouterClock)?

    /// Loads the policy from `directory` (or the embedded defaults).
    /// - Throws: `PolicyLoadError` when the initial policy is invalid: a service never starts on a broken policy.
    public init(
        directory: String?, clock: any RouterClock, logger: Logger, loadTimeout: Duration = .seconds(10)
    ) throws {
        self.directory = directory
        self.clock = clock
        self.logger = logger
        self.loadTimeout = loadTimeout
        let policy = try directory.map { path throws(PolicyLoadError) in try PolicyLoader.load(directory: path) }
            ?? PolicyLoader.embeddedDefaults()
        state = Mutex(State(policy: policy, lastError: nil, reloads: 0))
    }

    /// Wraps a policy built in memory (tests).
    public init(policy: Policy, logger: Logger) {
        directory = nil
        clock = nil
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

    /// How many reloads read and hashed the files (the others were answered from their fingerprint).
    var fullReadCount: Int { state.withLock { $0.fullReads } }


    /// Result of a reload attempt.
    public enum ReloadOutcome: Sendable, Equatable {
        case unchanged
        case reloaded(hash: String)
        case refused(String)
    }

    /// Reads the directory again; swaps the snapshot if it changed and is valid.
    ///
    /// When `stat(2)` shows the same files with the same sizes and change times as at the last full read, and none
    /// changed in the last seconds, the outcome of that read stands without reading them again (at most
    /// `fullReadEvery` polls in a row): an idle service polling every second then costs a few system calls, not
    /// reading and hashing every file.
    @discardableResult
    public func reload() -> ReloadOutcome {
        guard let directory, let clock else { return .unchanged }
        let fingerprint = PolicyLoader.fingerprint(directory: directory)
        if let fingerprint, fingerprint.isSettled(nowSeconds: Int(clock.nowMillis() / 1000)) {
            let answer = state.withLock { s -> ReloadOutcome? in
                guard let last = s.lastRead, last.fingerprint == fingerprint,
                    s.answeredFromFingerprint < Self.fullReadEvery
                else { return nil }
                s.answeredFromFingerprint += 1
                return last.outcome
            }
            if let answer { return answer }
        }
        let (outcome, reusable) = readAndReload(directory: directory)
        state.withLock { s in
            s.answeredFromFingerprint = 0
            s.fullReads += 1
            // A read error, or an earlier load still running, is tried again on the next poll.
            guard reusable, let fingerprint else { return s.lastRead = nil }
            if case .refused = outcome {
                s.lastRead = (fingerprint, outcome)
            } else {
                s.lastRead = (fingerprint, .unchanged)
            }
        }
        return outcome
    }

    /// A full read and, when the files changed, a load; `reusable` when the outcome depends on the files alone.
    private func readAndReload(directory: String) -> (outcome: ReloadOutcome, reusable: Bool) {
        let files: [PolicyFile]
        do {
            files = try PolicyLoader.readFiles(directory: directory)
        } catch {
            return (refuse("\(error)"), false)
        }
        let hash = PolicyLoader.contentHash(of: files)
        if hash == current.contentHash {
            state.withLock {
                $0.lastError = nil
                $0.refusedHash = nil
            }
            return (.unchanged, true)
        }
        let previous = state.withLock { s -> (refusedHash: String?, error: String?, busy: Bool) in
            (s.refusedHash, s.lastError, s.abandonedLoadRunning)
        }
        if previous.refusedHash == hash, let error = previous.error { return (.refused(error), true) }
        if previous.busy {
            let message = "an earlier policy load is still running (abandoned after \(loadTimeout)); not reloading"
            return (refuse(message), false)
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
            return (.reloaded(hash: policy.contentHash), true)
        case .failure(let message):
            return (refuse(message, hash: hash), true)
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
