import Synchronization

/// A named metric with fixed label names; each distinct set of label values is one series.
///
/// Resolve a series once with `labels(_:)` and keep the handle: updating it is then an atomic add (counters,
/// gauges) or one short lock (histograms), with no string work on the hot path. Series are written in the order
/// they were first resolved.
public final class MetricFamily<Series: MetricSeries>: Sendable {
    /// The metric name.
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// The label names, in the order values are passed.
    public let labelNames: [String]
    private let make: @Sendable () -> Series
    private let series: Mutex<(index: [[String]: Int], entries: [(labels: String, series: Series)])>

    init(name: String, help: String, labelNames: [String], make: @escaping @Sendable () -> Series) {
        precondition(PrometheusText.isValidName(name, allowColon: true), "invalid metric name \(name)")
        precondition(
            labelNames.allSatisfy { PrometheusText.isValidName($0, allowColon: false) && $0 != "le" },
            "invalid label names \(labelNames)")
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.make = make
        self.series = Mutex(([:], []))
        // An unlabelled metric exists from the start, so it is exposed as 0 before its first update.
        if labelNames.isEmpty { _ = labels() }
    }

    /// The series for these label values (one per label name, in order), created on first use.
    public func labels(_ values: String...) -> Series {
        labels(values)
    }

    /// The series for these label values (one per label name, in order), created on first use.
    public func labels(_ values: [String]) -> Series {
        precondition(values.count == labelNames.count, "\(name) takes \(labelNames.count) label values")
        return series.withLock { state in
            if let position = state.index[values] { return state.entries[position].series }
            let rendered = zip(labelNames, values).map { "\($0)=\"\(PrometheusText.labelValue($1))\"" }
                .joined(separator: ",")
            let created = make()
            state.index[values] = state.entries.count
            state.entries.append((rendered, created))
            return created
        }
    }

    /// Appends `# HELP`, `# TYPE` and every series.
    func write(into output: inout String) {
        let entries = series.withLock { $0.entries }
        output += "# HELP \(name) \(PrometheusText.help(help))\n"
        output += "# TYPE \(name) \(Series.typeName)\n"
        for entry in entries { entry.series.write(into: &output, name: name, labels: entry.labels) }
    }
}
