import Synchronization

extension TaskQueue {
    /// How many batches are in each state, and how many deferred tasks are in each unfinished state (the metrics'
    /// `claude_router_batches{state}` and `claude_router_deferred_tasks{state}`). States with none are absent.
    public struct StateCounts: Sendable, Hashable {
        /// The router's own batches by `BatchRecord.State` raw value.
        public var batches: [String: Int] = [:]
        /// Tasks pending, submitted or running, by `DeferredTask.State` raw value.
        public var unfinishedTasks: [String: Int] = [:]

        /// Creates counts.
        public init(batches: [String: Int] = [:], unfinishedTasks: [String: Int] = [:]) {
            self.batches = batches
            self.unfinishedTasks = unfinishedTasks
        }
    }

    /// Batches by state and unfinished tasks by state, in one read (both from their state indexes).
    public func stateCounts() throws(LedgerError) -> StateCounts {
        try database.withLock { database throws(LedgerError) in
            var counts = StateCounts()
            let batches = try database.prepare("SELECT state, COUNT(*) FROM batches GROUP BY state")
            defer { batches.reset() }
            while try batches.step() { counts.batches[batches.text(0)] = batches.int(1) }
            let tasks = try database.prepare(
                """
                SELECT state, COUNT(*) FROM tasks WHERE state IN ('pending', 'submitted', 'running') GROUP BY state
                """)
            defer { tasks.reset() }
            while try tasks.step() { counts.unfinishedTasks[tasks.text(0)] = tasks.int(1) }
            return counts
        }
    }
}
