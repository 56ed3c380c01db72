public import RouterCore
import Synchronization
import UsageLedger

/// The metric families the service exposes at `/metrics`, registered once and shared by every request.
///
/// Label sets are bounded by the policy (models, task types, buckets, clients: a name the policy does not list is
/// folded into `other` by the caller) and by the small fixed sets below (status codes, token kinds, error types);
/// never label with ids, clients' keys or free text.
public final class RouterMetrics: Sendable {
    /// The registry the families live in; expose `registry.exposition()`.
    public let registry: MetricsRegistry

    /// `claude_router_requests_total{model,task_type,status}`: requests answered, by HTTP status.
    public let requests: MetricFamily<Counter>
    /// `claude_router_errors_total{type}`: errors returned to clients, by API error type.
    public let errors: MetricFamily<Counter>
    /// `claude_router_request_duration_seconds{model}`: time from request to last byte.
    public let latency: MetricFamily<Histogram>
    /// `claude_router_overhead_seconds`: the router's own time (total minus upstream and queue wait).
    public let overhead: MetricFamily<Histogram>
    /// `claude_router_queue_wait_seconds{bucket}`: time spent waiting for rate-limit headroom.
    public let queueWait: MetricFamily<Histogram>
    /// `claude_router_tokens_total{model,task_type,client,kind}`: tokens by billing kind.
    public let tokens: MetricFamily<Counter>
    /// `claude_router_cost_nanodollars_total{model,task_type,client}`: exact cost in nano-dollars.
    public let cost: MetricFamily<Counter>
    /// `claude_router_cache_hit_ratio`: cache-read input tokens over all input tokens (read, written, uncached)
    /// since the start.
    public let cacheHitRatio: MetricFamily<FloatGauge>
    /// `claude_router_budget_spent_nanodollars{client,period}`: a budgeted client's spend this `day`/`month`.
    public let budgetSpent: MetricFamily<Gauge>
    /// `claude_router_budget_limit_nanodollars{client,period}`: its limit for the period (absent when none).
    public let budgetLimit: MetricFamily<Gauge>
    /// `claude_router_task_type_budget_spent_nanodollars{client,task_type,period}`: a client's spend on a task type
    /// that has a budget of its own (`budget.task_types` in clients.yaml), this `day`/`month`.
    public let taskTypeBudgetSpent: MetricFamily<Gauge>
    /// `claude_router_task_type_budget_limit_nanodollars{client,task_type,period}`: that task type's limit (absent
    /// when none for the period). Both are bounded by the policy: only budgets clients.yaml names get a series.
    public let taskTypeBudgetLimit: MetricFamily<Gauge>
    /// Input tokens read from the cache, and all input tokens, behind `cacheHitRatio`.
    private let cacheTokens = Mutex<(read: Int64, all: Int64)>((0, 0))
    /// `claude_router_queue_depth{bucket,priority}`: requests waiting for headroom.
    public let queueDepth: MetricFamily<Gauge>
    /// `claude_router_ratelimit_remaining{bucket,limit}`: headroom per bucket; `limit` is `rpm`, `itpm` or `otpm`.
    public let rateLimitRemaining: MetricFamily<Gauge>
    /// `claude_router_admission_refusals_total{bucket,reason}`: requests refused before reaching the API.
    public let admissionRefusals: MetricFamily<Counter>
    /// `claude_router_retries_total{model,reason}`: upstream attempts retried, by status or connection failure.
    public let retries: MetricFamily<Counter>
    /// `claude_router_fallbacks_total{from,to}`: requests moved to another model.
    public let fallbacks: MetricFamily<Counter>
    /// `claude_router_deferred_total{reason}`: tasks deferred to the Message Batches API, by why.
    public let deferred: MetricFamily<Counter>
    /// `claude_router_batch_queue_depth`: deferred tasks waiting to be packed into a batch.
    public let batchQueueDepth: MetricFamily<Gauge>
    /// `claude_router_batches_in_flight`: batches submitted (or being submitted) and not ended.
    public let batchesInFlight: MetricFamily<Gauge>
    /// `claude_router_callback_failures_total`: callback POSTs that did not get a 2xx.
    public let callbackFailures: MetricFamily<Counter>
    /// `claude_router_batches{state}`: the router's own Message Batches by state (`submitting`, `in_progress`,
    /// `ended`, `failed`, `canceled`; every state is present, 0 when none).
    public let batchesByState: MetricFamily<Gauge>
    /// `claude_router_deferred_tasks{state}`: deferred tasks not finished, by state (`pending` is the deferral
    /// queue's depth, as `claude_router_batch_queue_depth`; `submitted`, `running`).
    public let deferredTasks: MetricFamily<Gauge>
    /// `claude_router_budget_alerts_total{level,outcome}`: budget alert webhooks by level (`soft`, `hard`) and
    /// outcome (`delivered`, `failed`: a delivery attempt that got no 2xx).
    public let budgetAlerts: MetricFamily<Counter>

    /// Request latency buckets, in seconds: calls to the API take from a fraction of a second to minutes.
    public static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
    /// Overhead buckets, in seconds: the router's own work should stay well under a millisecond.
    public static let overheadBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1]
    /// Queue wait buckets, in seconds.
    public static let queueWaitBuckets: [Double] = [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// Registers every family in `registry`.
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        requests = registry.counter(
            "claude_router_requests_total", help: "Requests answered by the router.",
            labels: ["model", "task_type", "status"])
        errors = registry.counter(
            "claude_router_errors_total", help: "Errors returned to clients, by API error type.", labels: ["type"])
        latency = registry.histogram(
            "claude_router_request_duration_seconds", help: "Time from request to the last response byte.",
            labels: ["model"], buckets: Self.latencyBuckets)
        overhead = registry.histogram(
            "claude_router_overhead_seconds", help: "Time the router itself added (upstream and queueing excluded).",
            buckets: Self.overheadBuckets)
        queueWait = registry.histogram(
            "claude_router_queue_wait_seconds", help: "Time waiting for rate-limit headroom.", labels: ["bucket"],
            buckets: Self.queueWaitBuckets)
        tokens = registry.counter(
            "claude_router_tokens_total", help: "Tokens by model, task type, client and billing kind.",
            labels: ["model", "task_type", "client", "kind"])
        cost = registry.counter(
            "claude_router_cost_nanodollars_total", help: "Exact cost in nano-dollars (1e-9 USD).",
            labels: ["model", "task_type", "client"])
        cacheHitRatio = registry.floatGauge(
            "claude_router_cache_hit_ratio", help: "Cache-read input tokens over all input tokens since the start.")
        budgetSpent = registry.gauge(
            "claude_router_budget_spent_nanodollars", help: "A budgeted client's spend in the current day or month.",
            labels: ["client", "period"])
        budgetLimit = registry.gauge(
            "claude_router_budget_limit_nanodollars", help: "A budgeted client's limit for the day or month.",
            labels: ["client", "period"])
        taskTypeBudgetSpent = registry.gauge(
            "claude_router_task_type_budget_spent_nanodollars",
            help: "A client's spend on a task type with its own budget, in the current day or month.",
            labels: ["client", "task_type", "period"])
        taskTypeBudgetLimit = registry.gauge(
            "claude_router_task_type_budget_limit_nanodollars",
            help: "A client's limit for a task type with its own budget, for the day or month.",
            labels: ["client", "task_type", "period"])
        queueDepth = registry.gauge(
            "claude_router_queue_depth", help: "Requests waiting for rate-limit headroom.",
            labels: ["bucket", "priority"])
        rateLimitRemaining = registry.gauge(
            "claude_router_ratelimit_remaining", help: "Rate-limit headroom per bucket (rpm, itpm, otpm).",
            labels: ["bucket", "limit"])
        admissionRefusals = registry.counter(
            "claude_router_admission_refusals_total", help: "Requests refused before reaching the API.",
            labels: ["bucket", "reason"])
        retries = registry.counter(
            "claude_router_retries_total", help: "Upstream attempts retried.", labels: ["model", "reason"])
        fallbacks = registry.counter(
            "claude_router_fallbacks_total", help: "Requests moved to a fallback model.", labels: ["from", "to"])
        deferred = registry.counter(
            "claude_router_deferred_total", help: "Tasks deferred to the Message Batches API.", labels: ["reason"])
        batchQueueDepth = registry.gauge(
            "claude_router_batch_queue_depth", help: "Deferred tasks waiting to be packed into a batch.")
        batchesInFlight = registry.gauge(
            "claude_router_batches_in_flight", help: "Message Batches submitted and not ended.")
        callbackFailures = registry.counter(
            "claude_router_callback_failures_total", help: "Task callback deliveries that failed.")
        batchesByState = registry.gauge(
            "claude_router_batches", help: "The router's Message Batches by state.", labels: ["state"])
        deferredTasks = registry.gauge(
            "claude_router_deferred_tasks", help: "Deferred tasks not finished, by state (pending: the deferral queue).",
            labels: ["state"])
        budgetAlerts = registry.counter(
            "claude_router_budget_alerts_total", help: "Budget alert webhook deliveries by level and outcome.",
            labels: ["level", "outcome"])
    }

    /// Adds one call's tokens (by kind) and cost; `client` is a policy client's name or `other`.
    public func recordUsage(model: String, taskType: String, client: String, usage: TokenUsage, cost amount: Money) {
        // No arrays: this runs for every request (an array literal here was two allocations per call).
        func count(_ kind: String, _ count: Int64) {
            if count > 0 { tokens.labels(model, taskType, client, kind).increment(by: count) }
        }
        count("input", usage.input)
        count("output", usage.output)
        count("cache_write_5m", usage.cacheWrite5m)
        count("cache_write_1h", usage.cacheWrite1h)
        count("cache_read", usage.cacheRead)
        cost.labels(model, taskType, client).increment(by: amount.nanoUSD)
        let ratio = cacheTokens.withLock { totals -> Double in
            func add(_ count: Int64) { totals.all = totals.all.addingReportingOverflow(max(0, count)).partialValue }
            totals.read = totals.read.addingReportingOverflow(max(0, usage.cacheRead)).partialValue
            add(usage.input)
            add(usage.cacheWrite5m)
            add(usage.cacheWrite1h)
            add(usage.cacheRead)
            return totals.all > 0 ? Double(totals.read) / Double(totals.all) : 0
        }
        cacheHitRatio.labels().set(ratio)
    }

    /// Sets the budget gauges of one client: spend and limits for the day and the month.
    public func updateBudget(client: String, spentToday: Money, spentThisMonth: Money, daily: Money?, monthly: Money?) {
        budgetSpent.labels(client, "day").set(spentToday.nanoUSD)
        budgetSpent.labels(client, "month").set(spentThisMonth.nanoUSD)
        if let daily { budgetLimit.labels(client, "day").set(daily.nanoUSD) }
        if let monthly { budgetLimit.labels(client, "month").set(monthly.nanoUSD) }
    }

    /// Sets the budget gauges of one client's task-type budget: spend and limits for the day and the month.
    public func updateBudget(
        client: String, taskType: String, spentToday: Money, spentThisMonth: Money, daily: Money?, monthly: Money?
    ) {
        taskTypeBudgetSpent.labels(client, taskType, "day").set(spentToday.nanoUSD)
        taskTypeBudgetSpent.labels(client, taskType, "month").set(spentThisMonth.nanoUSD)
        if let daily { taskTypeBudgetLimit.labels(client, taskType, "day").set(daily.nanoUSD) }
        if let monthly { taskTypeBudgetLimit.labels(client, taskType, "month").set(monthly.nanoUSD) }
    }

    /// Copies lanes' queue depths and headroom into the gauges (call from an `onCollect` closure).
    public func update(from snapshots: [LaneSnapshot]) {
        for snapshot in snapshots {
            queueDepth.labels(snapshot.bucket, "interactive").set(Int64(snapshot.interactiveDepth))
            queueDepth.labels(snapshot.bucket, "background").set(Int64(snapshot.backgroundDepth))
            let headroom = snapshot.headroom
            for (limit, value) in [
                ("rpm", headroom.requests), ("itpm", headroom.inputTokens), ("otpm", headroom.outputTokens),
            ] {
                if let value { rateLimitRemaining.labels(snapshot.bucket, limit).set(value) }
            }
        }
    }

    /// Refreshes lane gauges from `pacer` before every exposition.
    public func collect<C>(from pacer: Pacer<C>) {
        registry.onCollect { [weak self] in self?.update(from: pacer.snapshots()) }
    }
}

extension RouterMetrics {
    /// Sets `claude_router_batches{state}` for every batch state and `claude_router_deferred_tasks{state}` for
    /// every unfinished task state (0 where `counts` has none).
    func setStateCounts(_ counts: TaskQueue.StateCounts) {
        for state in BatchRecord.State.allCases {
            batchesByState.labels(state.rawValue).set(Int64(counts.batches[state.rawValue] ?? 0))
        }
        for state in DeferredTask.State.allCases where !state.isFinal {
            deferredTasks.labels(state.rawValue).set(Int64(counts.unfinishedTasks[state.rawValue] ?? 0))
        }
    }
}
