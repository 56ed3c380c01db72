import Foundation

/// The times of the task documents: RFC 3339 in UTC, as `POST /v1/tasks` takes and answers them.
enum TaskTime {
    /// RFC 3339 in UTC to the second. The second is truncated, never rounded: a task created at 12:00:00.9 must not
    /// claim 12:00:01, later than the `Date` header of the answer that accepted it.
    static func iso(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Milliseconds since the epoch of an RFC 3339 time, with or without fractional seconds.
    static func parseISO(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        // Checked before the conversion: `Int64(_:)` of a Double out of range traps.
        guard let millis = date.map({ ($0.timeIntervalSince1970 * 1000).rounded() }), abs(millis) < 1e15 else {
            return nil
        }
        return Int64(millis)
    }
}
