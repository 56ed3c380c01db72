public import RouterCore

/// Running spend per client, and per client and task type, for the current UTC day and month.
///
/// The budget checks in RouterCore read these on every request, so they live in memory: the ledger updates them as
/// `.request` rows are recorded (before the row is committed, so a burst cannot overrun a budget while it waits in
/// the queue) and rebuilds them from the daily rollup when it opens. `.attempt` rows are not counted: the request
/// row already carries the whole request's cost.
public struct SpendTotals: Sendable, Hashable {
    struct Bucket: Sendable, Hashable {
        var day: Int64
        var dayCost: Money
        var month: Int64
        var monthCost: Money
    }
    struct ClientTask: Sendable, Hashable {
        var client: String
        var taskType: String
    }

    private var byClient: [String: Bucket] = [:]
    private var byClientTask: [ClientTask: Bucket] = [:]

    /// Empty totals.
    public init() {}

    /// Adds `cost` spent by `client` on `taskType` at `millis` since the epoch.
    ///
    /// A cost dated in an earlier month than the totals already hold is ignored (it cannot count against the
    /// current budgets); one dated in an earlier day of the same month counts for the month only.
    public mutating func add(client: String, taskType: String, cost: Money, atMillis millis: Int64) {
        let day = UTCDay(containingMillis: millis)
        let month = day.firstOfMonth.number
        Self.add(&byClient[client], day: day.number, month: month, cost: cost)
        Self.add(
            &byClientTask[ClientTask(client: client, taskType: taskType)], day: day.number, month: month, cost: cost)
    }

    /// What `client` (or `client` on `taskType`) has spent on `today` and in `today`'s month.
    public func spend(client: String, taskType: String? = nil, today: UTCDay) -> (day: Money, month: Money) {
        let bucket = taskType.map { byClientTask[ClientTask(client: client, taskType: $0)] } ?? byClient[client]
        guard let bucket else { return (.zero, .zero) }
        return (
            bucket.day == today.number ? bucket.dayCost : .zero,
            bucket.month == today.firstOfMonth.number ? bucket.monthCost : .zero
        )
    }

    /// The clients with any spend recorded this month or later.
    public var clients: [String] { byClient.keys.sorted() }

    private static func add(_ bucket: inout Bucket?, day: Int64, month: Int64, cost: Money) {
        guard var current = bucket else {
            bucket = Bucket(day: day, dayCost: cost, month: month, monthCost: cost)
            return
        }
        if month > current.month {
            current = Bucket(day: day, dayCost: cost, month: month, monthCost: cost)
        } else if month == current.month {
            current.monthCost += cost
            if day > current.day {
                current.day = day
                current.dayCost = cost
            } else if day == current.day {
                current.dayCost += cost
            }
        }
        bucket = current
    }

    /// Rebuilds the totals for `today`'s month from the daily rollup.
    package static func load(from reader: some SQLReader, today: UTCDay, dialect: SQLDialect) throws(LedgerError)
        -> SpendTotals
    {
        var totals = SpendTotals()
        let rows = try reader.rows(
            """
            SELECT client, task_type, day, \(dialect.sum("cost_nano")) FROM daily_rollup
            WHERE day >= ? AND day <= ? GROUP BY client, task_type, day ORDER BY day
            """,
            // Rows dated after `today` (a report run with an earlier "now") must not move the day bucket forward.
            [.integer(today.firstOfMonth.number), .integer(today.number)]
        ) { row in
            (client: row.text(0), taskType: row.text(1), day: row.int64(2), cost: row.int64(3))
        }
        for row in rows {
            totals.add(
                client: row.client, taskType: row.taskType, cost: Money(nanoUSD: row.cost),
                atMillis: UTCDay(number: row.day).startMillis)
        }
        return totals
    }
}
