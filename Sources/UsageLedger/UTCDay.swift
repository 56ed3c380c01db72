/// A UTC calendar day, counted in days since 1970-01-01, with integer civil-date conversion.
///
/// The ledger buckets by UTC day and month everywhere (rollup, budgets, reports), so the arithmetic is done once,
/// here, without Foundation's calendars (Howard Hinnant's `days_from_civil` algorithm).
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var number: Int64

    /// Milliseconds in one day.
    public static let millis: Int64 = 86_400_000

    /// The day with the given number.
    public init(number: Int64) { self.number = number }

    /// The UTC day that contains `millis` since the epoch.
    public init(containingMillis millis: Int64) {
        number = millis >= 0 ? millis / Self.millis : -((-millis + Self.millis - 1) / Self.millis)
    }

    /// The day of a civil date; nil when month or day is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Self.daysIn(year: year, month: month)).contains(day) else { return nil }
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The civil year, month (1…12) and day (1…31).
    public var civil: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
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
    public var description: String {
        let (year, month, day) = civil
        return "\(year)-\(Self.pad(month))-\(Self.pad(day))"
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.number < rhs.number }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD HH:00` for an hour bucket (`millis / 3_600_000`).
    package static func hourLabel(_ hour: Int64) -> String {
        let day = UTCDay(containingMillis: hour * 3_600_000)
        let hourOfDay = Int(hour * 3_600_000 - day.startMillis) / 3_600_000
        return "\(day) \(pad(hourOfDay)):00"
    }
}
