/// Civil (proleptic Gregorian) dates as day counts since 1970-01-01, with integer arithmetic only.
///
/// The one place the calendar is computed (Howard Hinnant's `days_from_civil` and `civil_from_days`), for the
/// API's RFC 3339 timestamps, dated prices and budgets (`RouterCore.Day`) and the ledger's UTC days: Foundation's
/// calendars are slow and not `Sendable`.
public enum CivilDate {
    /// Days since 1970-01-01 of `year`-`month`-`day` (negative before); the date is not checked.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The year, month (1…12) and day of month (1…31) of the day `days` after 1970-01-01.
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// True when `month` is 1…12 and `day` exists in it.
    public static func isValid(year: Int64, month: Int64, day: Int64) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// Days in `month` (1…12) of `year`.
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The UTC day number that contains `millis` since the epoch (floor division, so before 1970 works too).
    public static func days(containingMillis millis: Int64) -> Int64 {
        millis >= 0 ? millis / 86_400_000 : -((-millis + 86_400_000 - 1) / 86_400_000)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    public static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `YYYY-MM-DD` of the day `days` after 1970-01-01.
    public static func isoDate(days: Int64) -> String {
        let (year, month, day) = date(days: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The day number of `YYYY-MM-DD` (exactly four, two and two ASCII digits); nil for anything else or a date
    /// that does not exist.
    public static func days(iso text: some StringProtocol) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            isValid(year: year, month: month, day: day)
        else { return nil }
        return days(year: year, month: month, day: day)
    }
}
