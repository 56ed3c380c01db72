import Synchronization

/// A small Prometheus registry: families registered once at start, exposed in text format 0.0.4.
///
/// Lock-protected registration, lock-free updates through resolved series handles. Collectors registered with
/// `onCollect(_:)` run before every exposition, to copy values that are cheaper to read than to push (queue
/// depths, rate-limit headroom).
public final class MetricsRegistry: Sendable {
    private let families: Mutex<[(name: String, write: @Sendable (inout String) -> Void)]> = Mutex([])
    private let collectors: Mutex<[@Sendable () -> Void]> = Mutex([])

    /// The content type of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Creates an empty registry.
    public init() {}

    /// Registers a counter family. Names must be unique in the registry.
    public func counter(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Counter> {
        register(MetricFamily(name: name, help: help, labelNames: labels) { Counter() })
    }

    /// Registers a gauge family.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Gauge> {
        register(MetricFamily(name: name, help: help, labelNames: labels) { Gauge() })
    }

    /// Registers a gauge family of non-integer values (ratios).
    public func floatGauge(_ name: String, help: String, labels: [String] = []) -> MetricFamily<FloatGauge> {
        register(MetricFamily(name: name, help: help, labelNames: labels) { FloatGauge() })
    }

    /// Registers a histogram family whose series share fixed bucket bounds.
    public func histogram(_ name: String, help: String, labels: [String] = [], buckets: [Double])
        -> MetricFamily<Histogram>
    {
        register(MetricFamily(name: name, help: help, labelNames: labels) { Histogram(upperBounds: buckets) })
    }

    /// Adds a closure that refreshes gauges just before each exposition.
    public func onCollect(_ collector: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// Every family in registration order, in Prometheus text exposition format 0.0.4.
    public func exposition() -> String {
        for collector in collectors.withLock({ $0 }) { collector() }
        var output = ""
        for family in families.withLock({ $0 }) { family.write(&output) }
        return output
    }

    private func register<Series>(_ family: MetricFamily<Series>) -> MetricFamily<Series> {
        families.withLock { families in
            precondition(!families.contains { $0.name == family.name }, "metric \(family.name) registered twice")
            families.append((family.name, { family.write(into: &$0) }))
        }
        return family
    }
}
