import Synchronization

/// An integer that goes up and down (queue depth, rate-limit headroom), set lock-free.
public final class Gauge: MetricSeries {
    /// `gauge`.
    public static let typeName = "gauge"
    private let value = Atomic<Int64>(0)

    /// Creates a gauge at zero (families create them; see `MetricFamily.labels(_:)`).
    public init() {}

    /// Replaces the value.
    public func set(_ newValue: Int64) { value.store(newValue, ordering: .relaxed) }

    /// Adds `amount` (negative to subtract).
    public func add(_ amount: Int64) { value.wrappingAdd(amount, ordering: .relaxed) }

    /// The current value.
    public var current: Int64 { value.load(ordering: .relaxed) }

    /// Writes `name{labels} value`.
    public func write(into output: inout String, name: String, labels: String) {
        output += labels.isEmpty ? "\(name) \(current)\n" : "\(name){\(labels)} \(current)\n"
    }
}
