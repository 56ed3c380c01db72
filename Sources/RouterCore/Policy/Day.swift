import ClaudeAPI

/// A UTC calendar day, the granularity of dated prices and daily budgets.
///
/// Stored as days since 1970-01-01 so comparisons and arithmetic are integer operations; conversions are
/// `ClaudeAPI.CivilDate`'s, with no Foundation calendar involved.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (UTC).
    public var daysSinceEpoch: Int64

    /// Creates a day from its count since the Unix epoch.
    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// Creates a day from a year, month (1…12) and day of month (1…31); nil when the date does not exist.
    public init?(year: Int64, month: Int64, day: Int64) {
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        self.daysSinceEpoch = CivilDate.days(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(iso text: String) {
        guard let days = CivilDate.days(iso: text) else { return nil }
        self.daysSinceEpoch = days
    }

    /// The UTC day that contains the instant `millis` (milliseconds since the epoch).
    public init(epochMillis millis: Int64) { self.daysSinceEpoch = CivilDate.days(containingMillis: millis) }

    /// Year, month and day of month.
    public var components: (year: Int64, month: Int64, day: Int64) { CivilDate.date(days: daysSinceEpoch) }

    /// Milliseconds since the epoch at 00:00 UTC of this day.
    public var startMillis: Int64 { daysSinceEpoch * 86_400_000 }

    /// The first day of the following month.
    public var firstOfNextMonth: Day {
        let (y, m, _) = components
        return m == 12 ? Day(year: y + 1, month: 1, day: 1)! : Day(year: y, month: m + 1, day: 1)!
    }

    /// The day after this one.
    public var next: Day { Day(daysSinceEpoch: daysSinceEpoch + 1) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// `YYYY-MM-DD`.
    public var description: String { CivilDate.isoDate(days: daysSinceEpoch) }
}
