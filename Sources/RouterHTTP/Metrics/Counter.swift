import Synchronization

/// A monotonically increasing integer, resolved once from its family and then bumped lock-free.
public final class Counter: MetricSeries {
    /// `counter`.
    public static let typeName = "counter"
    private let value = Atomic<Int64>(0)

    /// Creates a counter at zero (families create them; see `MetricFamily.labels(_:)`).
    public init() {}

    /// Adds `amount` (ignored when negative: a counter never goes down).
    public func increment(by amount: Int64 = 1) {
        guard amount > 0 else { return }
        value.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current value.
    public var current: Int64 { value.load(ordering: .relaxed) }

    /// Writes `name{labels} value`.
    public func write(into output: inout String, name: String, labels: String) {
        output += labels.isEmpty ? "\(name) \(current)\n" : "\(name){\(labels)} \(current)\n"
    }
}
