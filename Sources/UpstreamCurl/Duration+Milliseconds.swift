extension Duration {
    /// The duration in whole milliseconds, at least 1 (libcurl reads 0 as "use the default" or "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }

    /// The duration in whole seconds rounded up, at least 1 (libcurl's low-speed check counts seconds).
    var curlSeconds: Int {
        (curlMilliseconds + 999) / 1000
    }
}
