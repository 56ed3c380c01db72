public import ClaudeAPI
/// The cache-planning part of a policy: whether the router adds `cache_control` breakpoints, and how it learns.
///
/// The policy YAML (`cache.yaml`) maps onto it key by key:
/// `mode`, `clients.<name>`, `task_types.<name>`, `table_capacity`, `half_life_seconds`,
/// `min_expected_reuses`, `speculative_margin`, `force_ttl`, `allow_one_hour`, `max_breakpoints`.
public struct CachePolicy: Sendable, Hashable {
    /// What the planner does for a request.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Mark a boundary only when its expected reuse pays for the cache write.
        case auto
        /// Never add a breakpoint (the client's own markers still go upstream untouched).
        case off
        /// Mark the stable boundaries (tools, system, conversation end) whenever they are long enough to cache,
        /// without asking whether it pays.
        case force
    }

    /// The mode when no override matches.
    public var mode: Mode
    /// Per-client overrides by client name; they win over task-type overrides.
    public var clientModes: [String: Mode]
    /// Per-task-type overrides by task type name.
    public var taskTypeModes: [String: Mode]
    /// How many prefix hashes the statistics table keeps (across all models); the least used go first.
    public var tableCapacity: Int
    /// The half-life of every observed count: a sighting `halfLifeSeconds` ago weighs half a sighting now.
    public var halfLifeSeconds: Int
    /// The least expected number of cache hits, in thousandths, before `auto` marks a new write, on top of
    /// break-even (0 = break-even alone decides). Already-cached prefixes are always marked: a read is cheaper.
    public var minExpectedReusesMilli: Int
    /// How far a speculative write (a prefix the planner has never seen) must clear break-even, in
    /// thousandths: 1200 writes it only when the hits its kind's new prefixes earned reach 1.2 × break-even.
    public var speculativeMarginMilli: Int
    /// The TTL `force` uses.
    public var forceTTL: CacheTTL
    /// Whether `auto` may choose 1h writes (false keeps every write at 5m).
    public var allowOneHour: Bool
    /// The most breakpoints a request may carry in all (the API allows 4).
    public var maxBreakpoints: Int

    /// The shipped default: auto, 100,000 hashes, 2-hour half-life (longer than the 1h TTL, so reuse an hour
    /// apart is still remembered when it comes), break-even alone for prefixes seen before, 1.2 × break-even for a
    /// speculative write, 1h allowed.
    public init(
        mode: Mode = .auto, clientModes: [String: Mode] = [:], taskTypeModes: [String: Mode] = [:],
        tableCapacity: Int = 100_000, halfLifeSeconds: Int = 7_200, minExpectedReusesMilli: Int = 0,
        speculativeMarginMilli: Int = 1_200, forceTTL: CacheTTL = .fiveMinutes, allowOneHour: Bool = true, maxBreakpoints: Int = 4
    ) {
        self.mode = mode
        self.clientModes = clientModes
        self.taskTypeModes = taskTypeModes
        self.tableCapacity = tableCapacity
        self.halfLifeSeconds = halfLifeSeconds
        self.minExpectedReusesMilli = minExpectedReusesMilli
        self.speculativeMarginMilli = speculativeMarginMilli
        self.forceTTL = forceTTL
        self.allowOneHour = allowOneHour
        self.maxBreakpoints = maxBreakpoints
    }

    /// The mode for one request: the client's override, else the task type's, else `mode`.
    public func mode(client: String, taskType: String) -> Mode {
        // Most policies set neither map: skip hashing the names on every request then.
        (clientModes.isEmpty ? nil : clientModes[client]) ?? (taskTypeModes.isEmpty ? nil : taskTypeModes[taskType])
            ?? mode
    }

    /// The mode for one request and which setting gave it, in words (for `policy explain`), e.g.
    /// `off (cache.yaml clients.batch-jobs)`.
    public func explainMode(client: String, taskType: String) -> String {
        if let mode = clientModes[client] { return "\(mode.rawValue) (cache.yaml clients.\(client))" }
        if let mode = taskTypeModes[taskType] { return "\(mode.rawValue) (cache.yaml task_types.\(taskType))" }
        return "\(mode.rawValue) (cache.yaml mode)"
    }
}
