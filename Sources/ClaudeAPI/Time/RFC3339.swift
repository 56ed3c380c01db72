/// RFC 3339 timestamps (`2026-11-28T12:34:56Z`), read and written without Foundation's formatters (slow and not
/// `Sendable`): the API's `*-reset` rate-limit headers and the batch timestamps.
public enum RFC3339 {
    /// Milliseconds since the Unix epoch of `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` (surrounding white space
    /// ignored), or nil when malformed.
    public static func unixMillis(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        let b = Array(bytes)
        guard b.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var value: Int64 = 0
            for byte in b[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), b[4] == 45, let month = number(5, 2), b[7] == 45,
            let day = number(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32,
            let hour = number(11, 2), b[13] == 58, let minute = number(14, 2), b[16] == 58,
            let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < b.count, b[index] == 46 {
            index += 1
            var digits = 0
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                if digits < 3 { millis = millis * 10 + Int64(b[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            while digits < 3 {
                millis *= 10
                digits += 1
            }
        }
        guard index < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch b[index] {
        case 90, 122:  // Z, z
            guard index + 1 == b.count else { return nil }
        case 43, 45:  // +, -
            guard index + 6 == b.count, let oh = number(index + 1, 2), b[index + 3] == 58,
                let om = number(index + 4, 2)
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1_000 + millis
    }

    /// `seconds` since 1970 as `2026-11-28T12:34:56Z`, or with microseconds (`…56.123456Z`) when `fractional`.
    public static func format(_ seconds: Double, fractional: Bool = false) -> String {
        let whole = Int64(seconds.rounded(.down))
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let pad = CivilDate.pad
        var text = CivilDate.isoDate(days: days)
        text += "T\(pad(rest / 3_600, 2)):\(pad(rest % 3_600 / 60, 2)):\(pad(rest % 60, 2))"
        if fractional {
            let micros = Int64(((seconds - Double(whole)) * 1_000_000).rounded(.down))
            text += "." + pad(micros, 6)
        }
        return text + "Z"
    }

    /// Unicode white space that can appear around a header value (space, tab, CR, LF, vertical tab, form feed).
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }
}
