import Logging
import RouterCore
import RouterHTTP
import ServiceLifecycle
import UnixSignals
import UsageLedger

// The long-running parts of `claude-router serve` besides the HTTP server, each a `Service` of its service group.

/// Flushes and closes the ledger when the service group shuts down (it is first in the group, so it stops last).
struct LedgerService: Service {
    let ledger: any LedgerProtocol
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await ledger.close()
            logger.notice("ledger flushed and closed")
        } catch {
            logger.error("ledger close failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the batch scheduler's tick loop until graceful shutdown; a tick cut short is resumed from the database on
/// the next start.
struct BatchSchedulerService: Service {
    let scheduler: BatchScheduler
    let clock: any RouterClock

    func run() async throws {
        await cancelWhenGracefulShutdown { await scheduler.run(clock: clock) }
    }
}

/// Runs the budget alerts' tick loop (every second) until graceful shutdown; an alert stored and not yet delivered
/// is delivered after the next start.
struct BudgetAlertService: Service {
    let alerts: BudgetAlerts
    let clock: any RouterClock

    func run() async throws {
        await cancelWhenGracefulShutdown { await alerts.run(clock: clock) }
    }
}

/// Reloads the policy on SIGHUP and when its files change.
struct PolicyWatcher: Service {
    let store: PolicyStore
    /// Reloads the store and hands the new limits to the pacer.
    let reload: @Sendable () -> Void
    let intervalMillis: Int

    func run() async throws {
        guard store.directory != nil else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) { reload() }
                }
                if intervalMillis > 0 {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .milliseconds(intervalMillis))
                            reload()
                        }
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
