import Synchronization

/// Observations counted into fixed buckets, with their sum and count, as Prometheus histograms expose them.
public final class Histogram: MetricSeries {
    /// `histogram`.
    public static let typeName = "histogram"

    struct State {
        var counts: [Int64]
        var sum: Double = 0
        var count: Int64 = 0
    }

    /// The buckets' inclusive upper bounds, ascending; `+Inf` is implicit.
    public let upperBounds: [Double]
    private let state: Mutex<State>

    /// Creates an empty histogram (families create them; see `MetricFamily.labels(_:)`).
    /// - Parameter upperBounds: bucket bounds; sorted, deduplicated, non-finite ones dropped.
    public init(upperBounds: [Double]) {
        let bounds = Array(Set(upperBounds.filter(\.isFinite))).sorted()
        self.upperBounds = bounds
        self.state = Mutex(State(counts: Array(repeating: 0, count: bounds.count)))
    }

    /// Records one value (seconds for durations). NaN is ignored.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        // Per-bucket counts, made cumulative only when written: one increment per observation.
        let index = upperBounds.firstIndex { value <= $0 }
        state.withLock { state in
            if let index { state.counts[index] += 1 }
            state.sum += value
            state.count += 1
        }
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Observations so far.
    public var count: Int64 { state.withLock { $0.count } }

    /// Writes the `_bucket` lines (cumulative, `le` last among the labels), `_sum` and `_count`.
    public func write(into output: inout String, name: String, labels: String) {
        let snapshot = state.withLock { $0 }
        let prefix = labels.isEmpty ? "" : labels + ","
        var cumulative: Int64 = 0
        for (bound, count) in zip(upperBounds, snapshot.counts) {
            cumulative += count
            output += "\(name)_bucket{\(prefix)le=\"\(PrometheusText.number(bound))\"} \(cumulative)\n"
        }
        output += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(snapshot.count)\n"
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        output += "\(name)_sum\(braces) \(PrometheusText.number(snapshot.sum))\n"
        output += "\(name)_count\(braces) \(snapshot.count)\n"
    }
}
