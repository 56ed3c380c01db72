/// One labelled time series of a metric family: a counter, a gauge or a histogram.
public protocol MetricSeries: AnyObject, Sendable {
    /// The Prometheus type name (`counter`, `gauge`, `histogram`).
    static var typeName: String { get }
    /// Appends this series' sample lines in text exposition format 0.0.4.
    /// - Parameters:
    ///   - name: the family's name.
    ///   - labels: the series' label pairs already escaped and joined (`a="x",b="y"`), possibly empty.
    func write(into output: inout String, name: String, labels: String)
}
