import UsageLedger

/// Results of recent tasks answered at once, for `GET /v1/tasks/{id}`: bounded in memory by total bytes, by bytes
/// per client and by count; what does not fit spills to the ledger database, where its owner can still read it.
///
/// Each result is kept with the name of the client that created it, and only that client reads it (from memory or
/// from the database). When a store goes over a bound, the oldest results leave memory first: the storing client's
/// own while it is over its share (so one client cannot push everyone else's out), then the oldest overall. They are
/// written to the database (`TaskQueue.spillResults`, one transaction per eviction round) before the store returns;
/// while the write runs they stay readable. Without a database, evicted results are dropped, as before.
public final class TaskResults: Sendable {
    /// The bounds.
    public struct Limits: Sendable, Hashable {
        /// Most bytes of results held in memory (default 32 MiB).
        public var maxBytes: Int
        /// Most bytes one client's results may hold in memory (default 8 MiB).
        public var maxBytesPerClient: Int
        /// Most results held in memory, whatever their size.
        public var maxEntries: Int
        /// How long spilled results stay readable, in milliseconds (default 24 h).
        public var spillRetentionMillis: Int64

        /// Creates bounds; each is at least 1.
        public init(
            maxBytes: Int = 32 << 20, maxBytesPerClient: Int = 8 << 20, maxEntries: Int = 10_000,
            spillRetentionMillis: Int64 = 86_400_000
        ) {
            self.maxBytes = max(1, maxBytes)
            self.maxBytesPerClient = max(1, maxBytesPerClient)
            self.maxEntries = max(1, maxEntries)
            self.spillRetentionMillis = max(0, spillRetentionMillis)
        }
    }

    struct Entry: Sendable {
        var client: String
        var body: [UInt8]
        var createdMillis: Int64
        /// Which store wrote it: an id stored again gets a new one, so stale queue slots are recognised.
        var sequence: UInt64
    }

    /// An id in arrival order, with the sequence of the entry it was queued for.
    struct Slot: Sendable {
        var id: String
        var sequence: UInt64
    }

    /// A first-in-first-out list of slots that drops its consumed head now and then.
    struct SlotQueue: Sendable {
        var slots: [Slot] = []
        var head = 0

        mutating func append(_ slot: Slot) { slots.append(slot) }

        mutating func popFirst() -> Slot? {
            guard head < slots.count else { return nil }
            defer {
                head += 1
                if head > 1024, head * 2 > slots.count {
                    slots.removeFirst(head)
                    head = 0
                }
            }
            return slots[head]
        }

        var isEmpty: Bool { head >= slots.count }
    }

    struct State: Sendable {
        var resident: [String: Entry] = [:]
        /// Evicted, being written to the database; still readable.
        var spilling: [String: Entry] = [:]
        var order = SlotQueue()
        var orderByClient: [String: SlotQueue] = [:]
        var bytesByClient: [String: Int] = [:]
        var residentBytes = 0
        var spillingBytes = 0
        var nextSequence: UInt64 = 0

        mutating func remove(_ id: String) -> Entry? {
            guard let entry = resident.removeValue(forKey: id) else { return nil }
            residentBytes -= entry.body.count
            let left = (bytesByClient[entry.client] ?? 0) - entry.body.count
            if left > 0 {
                bytesByClient[entry.client] = left
            } else {
                bytesByClient[entry.client] = nil
                orderByClient[entry.client] = nil
            }
            return entry
        }

        /// The oldest live entry of `client` (or overall, when nil), taken out of memory.
        mutating func evictOldest(of client: String?) -> (String, Entry)? {
            while true {
                let slot: Slot?
                if let client {
                    slot = orderByClient[client]?.popFirst()
                } else {
                    slot = order.popFirst()
                }
                guard let slot else { return nil }
                guard resident[slot.id]?.sequence == slot.sequence, let entry = remove(slot.id) else { continue }
                return (slot.id, entry)
            }
        }
    }

    let limits: Limits
    let state: MutexBox<State>

    /// Keeps results within `limits`.
    public init(limits: Limits = Limits()) {
        self.limits = limits
        state = MutexBox(State())
    }

    /// Keeps at most `capacity` results (and the default byte bounds).
    public convenience init(capacity: Int) {
        self.init(limits: Limits(maxEntries: capacity))
    }

    /// Bytes held in memory now (resident results and those being written to the database).
    public var heldBytes: Int { state.withLock { $0.residentBytes + $0.spillingBytes } }

    /// Results held in memory now.
    public var heldCount: Int { state.withLock { $0.resident.count + $0.spilling.count } }

    /// Stores `body` (the task's JSON) as `client`'s result `id`; returns once anything it pushed out of memory is
    /// in `spill` (or dropped, without one).
    func store(id: String, client: String, body: [UInt8], createdMillis: Int64, spill: TaskStore?) async {
        let limits = self.limits
        let evicted = state.withLock { s -> [(String, Entry)] in
            _ = s.remove(id)
            s.nextSequence += 1
            let entry = Entry(client: client, body: body, createdMillis: createdMillis, sequence: s.nextSequence)
            s.resident[id] = entry
            s.residentBytes += body.count
            s.bytesByClient[client, default: 0] += body.count
            let slot = Slot(id: id, sequence: entry.sequence)
            s.order.append(slot)
            s.orderByClient[client, default: SlotQueue()].append(slot)
            var out: [(String, Entry)] = []
            // Over a bound, evict down to three quarters of it: one database write per round, not per result.
            if (s.bytesByClient[client] ?? 0) > limits.maxBytesPerClient {
                while (s.bytesByClient[client] ?? 0) > limits.maxBytesPerClient / 4 * 3,
                    let victim = s.evictOldest(of: client)
                {
                    out.append(victim)
                }
            }
            if s.residentBytes + s.spillingBytes > limits.maxBytes || s.resident.count > limits.maxEntries {
                while s.residentBytes + s.spillingBytes > limits.maxBytes / 4 * 3
                    || s.resident.count > limits.maxEntries / 4 * 3,
                    let victim = s.evictOldest(of: nil)
                {
                    out.append(victim)
                }
            }
            if spill != nil {
                for (victimID, victim) in out {
                    if let earlier = s.spilling.updateValue(victim, forKey: victimID) {
                        s.spillingBytes -= earlier.body.count
                    }
                    s.spillingBytes += victim.body.count
                }
            }
            return out
        }
        guard let spill, !evicted.isEmpty else { return }
        let rows = evicted.map { (id: $0.0, client: $0.1.client, createdMillis: $0.1.createdMillis, body: String(decoding: $0.1.body, as: UTF8.self)) }
        let expireBefore = createdMillis - limits.spillRetentionMillis
        // A failed write loses these results (as eviction did before there was a database); the answers were sent.
        _ = try? await spill.run { queue throws(LedgerError) in
            try queue.spillResults(rows, expireBeforeMillis: expireBefore)
        }
        state.withLock { s in
            for (victimID, victim) in evicted where s.spilling[victimID]?.sequence == victim.sequence {
                s.spilling[victimID] = nil
                s.spillingBytes -= victim.body.count
            }
        }
    }

    /// The task's JSON when `client` created it: from memory, or from `spill`; nil otherwise (unknown, expired, or
    /// another client's).
    func get(id: String, client: String, spill: TaskStore?) async -> [UInt8]? {
        let held = state.withLock { s -> [UInt8]? in
            guard let entry = s.resident[id] ?? s.spilling[id], entry.client == client else { return nil }
            return entry.body
        }
        if let held { return held }
        guard let spill else { return nil }
        let text = try? await spill.run { queue throws(LedgerError) in try queue.spilledResult(id: id, client: client) }
        return (text ?? nil).map { Array($0.utf8) }
    }
}
