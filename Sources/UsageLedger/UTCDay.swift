import ClaudeAPI

/// A UTC calendar day, counted in days since 1970-01-01, with integer civil-date conversion.
///
/// The ledger buckets by UTC day and month everywhere (rollup, budgets, reports); the calendar arithmetic is
/// `ClaudeAPI.CivilDate`'s, shared with `RouterCore.Day` and the RFC 3339 timestamps.
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var number: Int64

    /// Milliseconds in one day.
    public static let millis: Int64 = 86_400_000

    /// The day with the given number.
    public init(number: Int64) { self.number = number }

    /// The UTC day that contains `millis` since the epoch.
    public init(containingMillis millis: Int64) { number = CivilDate.days(containingMillis: millis) }

    /// The day of a civil date; nil when month or day is out of range.
    public init?(year: Int, month: Int, day: Int) {
        let (year, month, day) = (Int64(year), Int64(month), Int64(day))
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        number = CivilDate.days(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        guard let number = CivilDate.days(iso: text) else { return nil }
        self.number = number
    }

    /// The civil year, month (1…12) and day (1…31).
    public var civil: (year: Int, month: Int, day: Int) {
        let (year, month, day) = CivilDate.date(days: number)
        return (Int(year), Int(month), Int(day))
    }

    /// Milliseconds since the epoch at 00:00 UTC of this day.
    public var startMillis: Int64 { number * Self.millis }

    /// The first day of this day's month.
    public var firstOfMonth: UTCDay {
        let (year, month, _) = civil
        return UTCDay(year: year, month: month, day: 1)!
    }

    /// The first day of the next month.
    public var firstOfNextMonth: UTCDay {
        let (year, month, _) = civil
        return month == 12 ? UTCDay(year: year + 1, month: 1, day: 1)! : UTCDay(year: year, month: month + 1, day: 1)!
    }

    /// `YYYY-MM-DD`.
    public var description: String { CivilDate.isoDate(days: number) }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.number < rhs.number }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `YYYY-MM-DD HH:00` for an hour bucket (`millis / 3_600_000`).
    package static func hourLabel(_ hour: Int64) -> String {
        let day = UTCDay(containingMillis: hour * 3_600_000)
        let hourOfDay = Int(hour * 3_600_000 - day.startMillis) / 3_600_000
        return "\(day) \(pad(hourOfDay)):00"
    }
}
