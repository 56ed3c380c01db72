import RouterCore

/// Writes a `Report` (and the budget section) as a text table, CSV, JSON or Markdown.
///
/// Money: CSV and JSON carry exact amounts (nine decimals, plus integer nano-dollars in JSON); the table and
/// Markdown round to four decimals for reading and end with the exact total, which always equals the sum of the
/// rows' costs.
public struct ReportFormatter: Sendable {
    /// The text formats of `claude-router report --format`.
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json, markdown
    }

    /// Which columns a report shows.
    public enum View: String, Sendable, CaseIterable {
        /// Everything: counts, tokens by kind, cost, baseline and savings by lever.
        case full
        /// Prompt caching only: tokens read and written, hit ratio, and what caching saved or lost.
        case cache
    }

    /// Decimals of rounded money in the table and Markdown.
    public var displayDecimals: Int
    /// The columns shown (JSON always carries every figure).
    public var view: View

    /// Creates a formatter.
    public init(displayDecimals: Int = 4, view: View = .full) {
        self.displayDecimals = displayDecimals
        self.view = view
    }

    /// Renders `report` in `format`.
    public func render(_ report: Report, budgets: [BudgetUse] = [], as format: Format) -> String {
        switch format {
        case .table: table(report, budgets: budgets)
        case .csv: csv(report)
        case .json: json(report, budgets: budgets)
        case .markdown: markdown(report, budgets: budgets)
        }
    }

    static let metricTitles = [
        "requests", "errors", "retries", "input", "output", "cache write 5m", "cache write 1h", "cache read",
        "cache hit", "cost", "baseline", "saved", "saved routing", "saved caching", "saved batching",
        "web searches", "web search cost", "client cache saved",
    ]

    /// The cache view's columns. `caching saved` is the uncached price of the prompt tokens minus what they cost
    /// with caching: reads save 90% of input, writes cost 25% (5m) or 100% (1h) more, so writes that are never
    /// read make it negative, a loss.
    static let cacheTitles = [
        "requests", "input", "cache write 5m", "cache write 1h", "cache read", "cache hit", "cost", "caching saved",
        "saved share",
    ]

    /// The column titles of this formatter's view.
    var metricTitles: [String] { view == .cache ? Self.cacheTitles : Self.metricTitles }

    /// The metric cells of one row; money rounded or exact.
    func metricCells(_ totals: ReportTotals, exact: Bool) -> [String] {
        let money: (Money) -> String = { exact ? $0.exactDollars : $0.dollars(decimals: displayDecimals) }
        if view == .cache {
            // What caching saved as a share of what the same calls would have cost without it.
            let uncached = totals.cost + totals.savedByCaching
            return [
                "\(totals.requests)", "\(totals.usage.input)", "\(totals.usage.cacheWrite5m)",
                "\(totals.usage.cacheWrite1h)", "\(totals.usage.cacheRead)",
                Self.percent(totals.usage.cacheRead, of: totals.usage.totalInput), money(totals.cost),
                money(totals.savedByCaching), Self.signedPercent(totals.savedByCaching.nanoUSD, of: uncached.nanoUSD),
            ]
        }
        return [
            "\(totals.requests)", "\(totals.errors)", "\(totals.retries)", "\(totals.usage.input)",
            "\(totals.usage.output)", "\(totals.usage.cacheWrite5m)", "\(totals.usage.cacheWrite1h)",
            "\(totals.usage.cacheRead)", Self.percent(totals.usage.cacheRead, of: totals.usage.totalInput),
            money(totals.cost), money(totals.baselineCost), money(totals.saved), money(totals.savedByRouting),
            money(totals.savedByCaching), money(totals.savedByBatching), "\(totals.usage.webSearchRequests)",
            money(totals.webSearchCost), money(totals.savedByClientCache),
        ]
    }

    /// `part / whole` as a percentage with one decimal, in integer arithmetic.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "-" }
        let perMille = (part * 1000 + whole / 2) / whole
        return "\(perMille / 10).\(perMille % 10)%"
    }

    /// `part / whole` as a signed percentage with one decimal (a loss shows as `-3.2%`), in integer arithmetic.
    static func signedPercent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "-" }
        let magnitude = Self.percent(part.magnitude > Int64.max / 1000 ? Int64.max / 1000 : abs(part), of: whole)
        return part < 0 ? "-" + magnitude : magnitude
    }

    static func perMilleText(_ value: Int64?) -> String {
        guard let value else { return "-" }
        return "\(value / 10).\(value % 10)%"
    }

    /// The title line: range, client, which table answered.
    static func heading(_ report: Report) -> String {
        let query = report.query
        let since = query.sinceMillis.map(Self.timeLabel) ?? "the first row"
        let until = query.untilMillis.map { "until " + Self.timeLabel($0) + " (exclusive)" } ?? "to the last row"
        var text = "Usage from \(since) \(until), UTC"
        if let client = query.client { text += ", client \(client)" }
        if !query.groupBy.isEmpty { text += ", by " + query.groupBy.map(\.rawValue).joined(separator: ", ") }
        return text + " [\(report.source.rawValue)]"
    }

    static func timeLabel(_ millis: Int64) -> String {
        let day = UTCDay(containingMillis: millis)
        let rest = millis - day.startMillis
        if rest == 0 { return day.description }
        let minutes = rest / 60_000
        return "\(day) \(UTCDay.pad(Int(minutes / 60))):\(UTCDay.pad(Int(minutes % 60)))"
    }

    // MARK: - Formats

    private func table(_ report: Report, budgets: [BudgetUse]) -> String {
        let header = report.query.groupBy.map(\.title) + metricTitles
        var lines = report.rows.map { $0.labels + metricCells($0.totals, exact: false) }
        let blanks = Array(repeating: "", count: max(0, report.query.groupBy.count - 1))
        let totalLabel = report.query.groupBy.isEmpty ? [] : ["TOTAL"] + blanks
        lines.append(totalLabel + metricCells(report.total, exact: false))
        let title = view == .cache ? "Prompt caching. " + Self.heading(report) : Self.heading(report)
        var text = title + "\n\n" + Self.aligned([header] + lines, numericFrom: report.query.groupBy.count)
        text += "\nTotal cost (exact): $\(report.total.cost.exactDollars)"
        if view == .cache {
            text += "   caching saved (exact): $\(report.total.savedByCaching.exactDollars)\n"
            text += "A negative saving is a loss: cache writes that were not read back cost more than the reads"
            text += " saved.\n"
        } else {
            text += "   saved against the baseline: $\(report.total.saved.exactDollars)"
            text += "   the clients' own cache marks saved: $\(report.total.savedByClientCache.exactDollars)\n"
        }
        if !budgets.isEmpty {
            text += "\nBudgets (UTC day and month of the report's 'now')\n\n"
            text += Self.aligned([Self.budgetHeader] + budgets.map(budgetCells), numericFrom: 1)
        }
        return text
    }

    static let budgetHeader = [
        "client", "today", "daily limit", "day used", "this month", "monthly limit", "month used", "status",
        "limits from",
    ]

    func budgetCells(_ budget: BudgetUse) -> [String] {
        [
            budget.label, budget.spentToday.dollars(decimals: displayDecimals),
            budget.dailyLimit.map { $0.readableDollars } ?? "-",
            Self.perMilleText(BudgetUse.perMille(budget.spentToday, of: budget.dailyLimit)),
            budget.spentThisMonth.dollars(decimals: displayDecimals),
            budget.monthlyLimit.map { $0.readableDollars } ?? "-",
            Self.perMilleText(BudgetUse.perMille(budget.spentThisMonth, of: budget.monthlyLimit)),
            Self.statusText(budget), budget.source.rawValue,
        ]
    }

    /// `ok`, `soft (80%)`, `over (hard)`, …: the status with what it means for the client's requests.
    static func statusText(_ budget: BudgetUse) -> String {
        switch budget.status {
        case .ok, .none: budget.status.rawValue
        case .soft: "soft (past \(budget.softLimitPercent ?? 0)%)"
        case .over: budget.hardLimit ? "over (refused)" : "over"
        }
    }

    /// Pads columns: text columns left-aligned, metric columns (from `numericFrom`) right-aligned.
    static func aligned(_ rows: [[String]], numericFrom: Int) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for (rowIndex, row) in rows.enumerated() {
            let cells = row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index >= numericFrom ? pad + cell : cell + pad
            }
            text += cells.joined(separator: "  ") + "\n"
            if rowIndex == 0 {
                text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return text
    }

    private func csv(_ report: Report) -> String {
        let header = report.query.groupBy.map(\.rawValue) + metricTitles.map { $0.replacingSpaces() }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for row in report.rows {
            lines.append((row.labels + metricCells(row.totals, exact: true)).map(Self.csvField).joined(separator: ","))
        }
        let totalLabel =
            report.query.groupBy.isEmpty ? [] : ["TOTAL"] + Array(repeating: "", count: report.query.groupBy.count - 1)
        lines.append((totalLabel + metricCells(report.total, exact: true)).map(Self.csvField).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingQuotes() + "\""
    }

    private func markdown(_ report: Report, budgets: [BudgetUse]) -> String {
        let header = report.query.groupBy.map(\.title) + metricTitles
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingPipes() }.joined(separator: " | ") + " |"
        }
        var lines = ["### " + Self.heading(report), "", line(header)]
        let alignments = header.indices.map { $0 < report.query.groupBy.count ? ":---" : "---:" }
        lines.append("|" + alignments.joined(separator: "|") + "|")
        for row in report.rows { lines.append(line(row.labels + metricCells(row.totals, exact: false))) }
        let totalLabel =
            report.query.groupBy.isEmpty
            ? [] : ["**total**"] + Array(repeating: "", count: report.query.groupBy.count - 1)
        lines.append(line(totalLabel + metricCells(report.total, exact: false)))
        lines.append("")
        lines.append(
            "Total cost (exact): **$\(report.total.cost.exactDollars)**, saved $\(report.total.saved.exactDollars)"
                + " against the baseline; the clients' own cache breakpoints saved"
                + " $\(report.total.savedByClientCache.exactDollars) more")
        if !budgets.isEmpty {
            lines += ["", "#### Budgets", "", line(Self.budgetHeader), "|:---|---:|---:|---:|---:|---:|---:|:---|:---|"]
            lines += budgets.map { line(budgetCells($0)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func json(_ report: Report, budgets: [BudgetUse]) -> String {
        func totals(_ t: ReportTotals) -> String {
            let fields: [(String, String)] = [
                ("requests", "\(t.requests)"), ("errors", "\(t.errors)"), ("retries", "\(t.retries)"),
                ("attempts", "\(t.attempts)"),
                (
                    "tokens",
                    "{\"input\":\(t.usage.input),\"output\":\(t.usage.output),\"cache_write_5m\":\(t.usage.cacheWrite5m),"
                        + "\"cache_write_1h\":\(t.usage.cacheWrite1h),\"cache_read\":\(t.usage.cacheRead)}"
                ),
                ("cache_hit_ratio", JSONText.number(t.cacheHitRatio)),
                ("cost_usd", JSONText.string(t.cost.exactDollars)), ("cost_nano_usd", "\(t.cost.nanoUSD)"),
                ("baseline_usd", JSONText.string(t.baselineCost.exactDollars)),
                ("baseline_nano_usd", "\(t.baselineCost.nanoUSD)"),
                ("saved_usd", JSONText.string(t.saved.exactDollars)),
                (
                    "saved_by_nano_usd",
                    "{\"routing\":\(t.savedByRouting.nanoUSD),\"caching\":\(t.savedByCaching.nanoUSD),"
                        + "\"batching\":\(t.savedByBatching.nanoUSD)}"
                ),
                ("web_search_requests", "\(t.usage.webSearchRequests)"),
                ("web_search_nano_usd", "\(t.webSearchCost.nanoUSD)"),
                // Not a router saving (outside saved_usd): what the clients' own cache breakpoints saved.
                ("client_cache_saved_nano_usd", "\(t.savedByClientCache.nanoUSD)"),
            ]
            return "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        }
        let query = report.query
        var text = "{\"since_ms\":\(query.sinceMillis.map(String.init) ?? "null")"
        text += ",\"until_ms\":\(query.untilMillis.map(String.init) ?? "null")"
        text += ",\"client\":\(query.client.map(JSONText.string) ?? "null")"
        text += ",\"group_by\":[" + query.groupBy.map { JSONText.string($0.rawValue) }.joined(separator: ",") + "]"
        text += ",\"source\":\(JSONText.string(report.source.rawValue))"
        text += ",\"rows\":["
        text += report.rows.map { row in
            let keys = zip(query.groupBy, row.labels).map { "\(JSONText.string($0.rawValue)):\(JSONText.string($1))" }
            return "{\"group\":{" + keys.joined(separator: ",") + "},\"totals\":" + totals(row.totals) + "}"
        }.joined(separator: ",")
        text += "],\"total\":" + totals(report.total)
        text += ",\"budgets\":["
        text += budgets.map { budget in
            "{\"client\":\(JSONText.string(budget.client)),"
                + "\"task_type\":\(budget.taskType.map(JSONText.string) ?? "null"),"
                + "\"spent_today_nano_usd\":\(budget.spentToday.nanoUSD),"
                + "\"daily_limit_nano_usd\":\(budget.dailyLimit.map { String($0.nanoUSD) } ?? "null"),"
                + "\"spent_this_month_nano_usd\":\(budget.spentThisMonth.nanoUSD),"
                + "\"monthly_limit_nano_usd\":\(budget.monthlyLimit.map { String($0.nanoUSD) } ?? "null"),"
                + "\"soft_limit_percent\":\(budget.softLimitPercent.map(String.init) ?? "null"),"
                + "\"hard_limit\":\(budget.hardLimit),"
                + "\"status\":\(JSONText.string(budget.status == .none ? "none" : budget.status.rawValue)),"
                + "\"limits_from\":\(JSONText.string(budget.source.rawValue))}"
        }.joined(separator: ",")
        return text + "]}\n"
    }
}
