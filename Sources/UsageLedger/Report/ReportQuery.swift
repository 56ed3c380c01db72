import Foundation

/// What a report covers and how it groups: a time range, the grouping columns and an optional client.
public struct ReportQuery: Sendable, Hashable {
    /// Start of the range, inclusive, in milliseconds since the epoch; nil for "from the first row".
    public var sinceMillis: Int64?
    /// End of the range, exclusive; nil for "up to the last row".
    public var untilMillis: Int64?
    /// The grouping columns, in order; empty for one total.
    public var groupBy: [ReportDimension]
    /// Only this client's rows, when set.
    public var client: String?

    /// Creates a query.
    public init(
        sinceMillis: Int64? = nil, untilMillis: Int64? = nil, groupBy: [ReportDimension] = [], client: String? = nil
    ) {
        self.sinceMillis = sinceMillis
        self.untilMillis = untilMillis
        self.groupBy = groupBy
        self.client = client
    }

    /// Whether the daily rollup can answer exactly: a range on UTC day boundaries and no hourly grouping.
    public var canUseRollup: Bool {
        groupBy.allSatisfy { $0.rollupExpression != nil }
            && (sinceMillis.map { $0 % UTCDay.millis == 0 } ?? true)
            && (untilMillis.map { $0 % UTCDay.millis == 0 } ?? true)
    }

    /// Parses a `--since`/`--until` value against `nowMillis`.
    ///
    /// Accepts a UTC date `2026-11-01` (its midnight; as an `until`, the midnight after it, so the day is
    /// included), a UTC time `2026-11-01T12:30` or `2026-11-01T12:30:00Z`, or a span back from now: `7d`, `24h`,
    /// `90m`. `today` is the current UTC day's midnight.
    public static func parseTime(_ text: String, nowMillis: Int64, isUntil: Bool) -> Result<Int64, ReportQueryError> {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "today" {
            let today = UTCDay(containingMillis: nowMillis)
            return .success((isUntil ? UTCDay(number: today.number + 1) : today).startMillis)
        }
        if text == "now" { return .success(nowMillis) }
        if let unit = text.last, "dhm".contains(unit), let amount = Int64(text.dropLast()), amount >= 0 {
            let millis: Int64 = unit == "d" ? UTCDay.millis : unit == "h" ? 3_600_000 : 60_000
            return .success(nowMillis - amount * millis)
        }
        if let day = UTCDay(iso: text) {
            return .success((isUntil ? UTCDay(number: day.number + 1) : day).startMillis)
        }
        let parts = text.split(separator: "t", maxSplits: 1)
        if parts.count == 2, let day = UTCDay(iso: parts[0]) {
            var clock = parts[1]
            if clock.hasSuffix("z") { clock = clock.dropLast() }
            let fields = clock.split(separator: ":").map { Int($0) }
            if (2...3).contains(fields.count), !fields.contains(nil) {
                let hour = fields[0]!, minute = fields[1]!, second = fields.count == 3 ? fields[2]! : 0
                if (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) {
                    return .success(
                        day.startMillis + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(second) * 1000)
                }
            }
        }
        return .failure(
            ReportQueryError(
                "cannot read the time '\(text)': use a UTC date (2026-11-01), a time (2026-11-01T12:00Z),"
                    + " or a span back from now (7d, 24h, 30m)"))
    }
}

/// A report argument that cannot be understood; the message says what is accepted.
public struct ReportQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong and what to write instead.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
