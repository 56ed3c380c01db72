import Synchronization

/// A gauge holding a fraction or other non-integer value (a ratio), set lock-free.
public final class FloatGauge: MetricSeries {
    /// `gauge`.
    public static let typeName = "gauge"
    private let bits = Atomic<UInt64>(0)

    /// Creates a gauge at zero (families create them; see `MetricFamily.labels(_:)`).
    public init() {}

    /// Replaces the value.
    public func set(_ newValue: Double) { bits.store(newValue.bitPattern, ordering: .relaxed) }

    /// The current value.
    public var current: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    /// Writes `name{labels} value`.
    public func write(into output: inout String, name: String, labels: String) {
        let value = PrometheusText.number(current)
        output += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(labels)} \(value)\n"
    }
}
