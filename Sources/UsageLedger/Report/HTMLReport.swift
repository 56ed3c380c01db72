import RouterCore

/// Writes the report as one self-contained HTML page: inline CSS and SVG charts, no script, no network.
///
/// Charts: cost per day stacked by model, savings by lever, top task types by cost. Bar lengths are the only
/// floating-point figures; every amount printed is exact or rounded from the exact value, and the page states
/// the exact total.
public struct HTMLReport: Sendable {
    /// The report's table (any grouping the user asked for).
    public var summary: Report
    /// The same range grouped by `[.day, .model]`, for the daily chart.
    public var byDayAndModel: Report
    /// The same range grouped by `[.taskType]`, for the task-type chart.
    public var byTaskType: Report
    /// Budget lines, possibly empty.
    public var budgets: [BudgetUse]

    /// Creates the page's content.
    public init(summary: Report, byDayAndModel: Report, byTaskType: Report, budgets: [BudgetUse] = []) {
        self.summary = summary
        self.byDayAndModel = byDayAndModel
        self.byTaskType = byTaskType
        self.budgets = budgets
    }

    /// The pages' CSS (this report and the service's `/dashboard`).
    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;background:#fff}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
        table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:12px}
        th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
        th.k,td.k{text-align:left}tr.total td{font-weight:bold;border-top:2px solid #888}
        .cards{display:flex;gap:1.5em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
        .card b{display:block;font-size:1.3em}svg text{font:11px sans-serif;fill:#333}
        """

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]

    /// The whole page.
    public func render() -> String {
        let formatter = ReportFormatter()
        let total = summary.total
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>claude-router usage report</title>
            <style>
            \(Self.style)
            </style></head><body>
            <h1>claude-router usage report</h1>
            <p>\(Self.escape(ReportFormatter.heading(summary)))</p>
            <div class="cards">
            <div class="card">cost<b>$\(total.cost.dollars(decimals: 2))</b>exact $\(total.cost.exactDollars)</div>
            <div class="card">without the router<b>$\(total.baselineCost.dollars(decimals: 2))</b>baseline</div>
            <div class="card">saved<b>$\(total.saved.dollars(decimals: 2))</b>\(ReportFormatter.percent(total.saved.nanoUSD, of: total.baselineCost.nanoUSD)) of baseline</div>
            <div class="card">requests<b>\(total.requests)</b>\(total.errors) errors, \(total.retries) retries</div>
            <div class="card">cache hit<b>\(ReportFormatter.percent(total.usage.cacheRead, of: total.usage.totalInput))</b>of input tokens</div>
            </div>

            """
        html += "<h2>Cost per day by model</h2>\n" + dailyChart()
        html += "<h2>Savings by lever</h2>\n" + savingsChart()
        html += "<h2>Top task types by cost</h2>\n" + taskTypeChart()
        html += "<h2>Details</h2>\n" + table(formatter)
        if !budgets.isEmpty {
            html += "<h2>Budgets</h2>\n<table><tr>"
            html += ReportFormatter.budgetHeader.enumerated().map { "<th\($0 == 0 ? " class=\"k\"" : "")>\($1)</th>" }
                .joined()
            html += "</tr>\n"
            for budget in budgets {
                html +=
                    "<tr>"
                    + formatter.budgetCells(budget).enumerated().map {
                        "<td\($0 == 0 ? " class=\"k\"" : "")>\(Self.escape($1))</td>"
                    }.joined() + "</tr>\n"
            }
            html += "</table>\n"
        }
        html += "<p>Exact total cost: $\(total.cost.exactDollars) (the sum of every request's recorded cost).</p>\n"
        return html + "</body></html>\n"
    }

    private func table(_ formatter: ReportFormatter) -> String {
        let keys = summary.query.groupBy
        var html = "<table><tr>"
        html += keys.map { "<th class=\"k\">\(Self.escape($0.title))</th>" }.joined()
        html += formatter.metricTitles.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for row in summary.rows {
            html += "<tr>" + row.labels.map { "<td class=\"k\">\(Self.escape($0))</td>" }.joined()
            html += formatter.metricCells(row.totals, exact: false).map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "<tr class=\"total\">" + keys.indices.map { "<td class=\"k\">\($0 == 0 ? "total" : "")</td>" }.joined()
        html += formatter.metricCells(summary.total, exact: false).map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        return html + "</table>\n"
    }

    private func dailyChart() -> String {
        var days: [String] = []
        var models: [String] = []
        var cost: [String: [String: Int64]] = [:]
        for row in byDayAndModel.rows where row.labels.count == 2 {
            let (day, model) = (row.labels[0], row.labels[1])
            if !days.contains(day) { days.append(day) }
            if !models.contains(model) { models.append(model) }
            cost[day, default: [:]][model, default: 0] += row.totals.cost.nanoUSD
        }
        guard !days.isEmpty else { return "<p>No rows in range.</p>\n" }
        days.sort()
        models.sort()
        let perDay = days.map { day in cost[day, default: [:]].values.reduce(0, +) }
        // The scale is the top tick, so bars and gridlines agree; labels have the decimals their steps need.
        let axis = AxisTicks(maximum: perDay.max() ?? 1)
        let maximum = axis.top
        let (width, height, left, bottom, top) = (860.0, 300.0, 70.0, 40.0, 10.0)
        let plotHeight = height - bottom - top
        let slot = (width - left - 10) / Double(days.count)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 20.0 * Double((models.count + 3) / 4)))\" role=\"img\" aria-label=\"cost per day by model\">\n"
        for (index, label) in axis.labels.enumerated() {
            let y = top + plotHeight - plotHeight * Double(axis.ticks[index].nanoUSD) / Double(maximum)
            svg +=
                "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(Self.px(y))\" y2=\"\(Self.px(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 4)\" y=\"\(Self.px(y + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        for (index, day) in days.enumerated() {
            var y = top + plotHeight
            let x = left + slot * Double(index) + slot * 0.1
            for (modelIndex, model) in models.enumerated() {
                guard let value = cost[day]?[model], value > 0 else { continue }
                let barHeight = plotHeight * Double(value) / Double(maximum)
                y -= barHeight
                svg +=
                    "<rect x=\"\(Self.px(x))\" y=\"\(Self.px(y))\" width=\"\(Self.px(slot * 0.8))\" height=\"\(Self.px(barHeight))\" fill=\"\(Self.palette[modelIndex % Self.palette.count])\">"
                svg +=
                    "<title>\(Self.escape(day)) \(Self.escape(model)): $\(Money(nanoUSD: value).exactDollars)</title></rect>\n"
            }
            let labelEvery = max(1, days.count / 12)
            if index % labelEvery == 0 {
                svg +=
                    "<text x=\"\(Self.px(x + slot * 0.4))\" y=\"\(Self.px(height - bottom + 14))\" text-anchor=\"middle\">\(Self.escape(String(day.dropFirst(5))))</text>\n"
            }
        }
        for (index, model) in models.enumerated() {
            let x = left + Double(index % 4) * 200
            let y = height + 20.0 * Double(index / 4) - 10
            svg +=
                "<rect x=\"\(Self.px(x))\" y=\"\(Self.px(y - 9))\" width=\"10\" height=\"10\" fill=\"\(Self.palette[index % Self.palette.count])\"/>"
            svg += "<text x=\"\(Self.px(x + 14))\" y=\"\(Self.px(y))\">\(Self.escape(model))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func savingsChart() -> String {
        let total = summary.total
        return Self.barChart(
            [
                ("routing", total.savedByRouting), ("caching", total.savedByCaching),
                ("batching", total.savedByBatching),
            ],
            label: "savings by lever")
    }

    private func taskTypeChart() -> String {
        let top = byTaskType.rows.sorted {
            $0.totals.cost > $1.totals.cost
                || ($0.totals.cost == $1.totals.cost && $0.labels.lexicographicallyPrecedes($1.labels))
        }
        .prefix(10)
        return Self.barChart(top.map { ($0.labels.first ?? "", $0.totals.cost) }, label: "top task types by cost")
    }

    /// Horizontal bars on a value axis (round ticks whose labels have the decimals the step needs, `AxisTicks`),
    /// each with its amount (`amountLabel`) and the exact one in the tooltip.
    static func barChart(_ bars: [(String, Money)], label: String) -> String {
        guard !bars.isEmpty else { return "<p>No rows in range.</p>\n" }
        let axis = AxisTicks(maximum: max(1, bars.map(\.1.nanoUSD).max() ?? 1))
        let maximum = axis.top
        let (left, barWidth, rowHeight) = (160.0, 520.0, 24.0)
        let plotBottom = 5 + rowHeight * Double(bars.count)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"\(Int(plotBottom + 22))\" role=\"img\" aria-label=\"\(escape(label))\">\n"
        for (index, tick) in axis.labels.enumerated() {
            let x = left + barWidth * Double(axis.ticks[index].nanoUSD) / Double(maximum)
            svg += "<line x1=\"\(px(x))\" x2=\"\(px(x))\" y1=\"5\" y2=\"\(px(plotBottom))\" stroke=\"#eee\"/>"
            svg += "<text class=\"tick\" x=\"\(px(x))\" y=\"\(px(plotBottom + 14))\" text-anchor=\"middle\">\(tick)</text>\n"
        }
        for (index, (name, money)) in bars.enumerated() {
            let y = 5 + rowHeight * Double(index)
            let length = barWidth * Double(max(0, money.nanoUSD)) / Double(maximum)
            svg += "<text x=\"\(left - 6)\" y=\"\(px(y + 15))\" text-anchor=\"end\">\(escape(name))</text>"
            svg +=
                "<rect x=\"\(left)\" y=\"\(px(y + 3))\" width=\"\(px(length))\" height=\"\(px(rowHeight - 6))\" fill=\"\(palette[index % palette.count])\"><title>$\(money.exactDollars)</title></rect>"
            svg +=
                "<text x=\"\(px(left + length + 6))\" y=\"\(px(y + 15))\">$\(amountLabel(money))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// An amount for a chart label: four decimals, or more for an amount under a cent, so that its first three
    /// significant digits show (`12.3457`, `0.0500`, `0.00123`, `0.0000412`); never `0.0000` for a non-zero amount.
    static func amountLabel(_ money: Money) -> String {
        let magnitude = money.nanoUSD.magnitude
        guard magnitude > 0 else { return money.dollars(decimals: 2) }
        let digits = String(magnitude).count
        // The most significant digit sits at decimal place 10 - digits; two more after it.
        return money.dollars(decimals: min(9, max(4, 10 - digits + 2)))
    }

    static func px(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
