import NIOCore
import Hummingbird
import HTTPTypes
import ClaudeAPI
public import Logging
public import RouterCore
import PolicyYAML
import Synchronization

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
    }

    /// The directory read on reload, or nil for the embedded defaults (then reload is a no-op).
    public let directory: String?
    private let state: Mutex<State>
    private let logger: Logger

    /// Loads the policy from `directory` (or the embedded defaults).
    /// - Throws: `PolicyLoadError` when the initial policy is invalid: a service never starts on a broken policy.
    public init(directory: String?, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        let policy = try directory.map { path throws(PolicyLoadError) in try PolicyLoader.load(directory: path) }
            ?? PolicyLoader.embeddedDefaults()
        state = Mutex(State(policy: policy, lastError: nil, reloads: 0))
    }

    /// Wraps a policy built in memory (tests).
    public init(policy: Policy, logger: Logger = Logger(label: "policy")) {
        directory = nil
        self.logger = logger
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
            state.withLock { $0.lastError = nil }
            return .unchanged
        }
        do {
            let policy = try PolicyLoader.load(files: files)
            state.withLock {
                $0.policy = policy
                $0.lastError = nil
                $0.reloads += 1
            }
            logger.notice("policy reloaded", metadata: ["hash": "\(policy.contentHash.prefix(12))"])
            return .reloaded(hash: policy.contentHash)
        } catch {
            return refuse("\(error)")
        }
    }

    private func refuse(_ message: String) -> ReloadOutcome {
        let changed = state.withLock { state -> Bool in
            defer { state.lastError = message }
            return state.lastError != message
        }
        if changed {
            logger.error("policy reload refused; the previous policy keeps serving", metadata: ["errors": "\(message)"])
        }
        return .refused(message)
    }
}
