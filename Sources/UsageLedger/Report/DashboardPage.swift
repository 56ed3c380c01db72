import Foundation
import RouterCore

/// The service's live operators' page (`GET /dashboard`): today's spend by model, task type and client, savings by
/// lever, budgets, queues and cache hits, as one self-contained HTML page (inline CSS and SVG, no script, no
/// network) that reloads itself every `refreshSeconds`.
///
/// Charts are `HTMLReport`'s, so both pages draw and label amounts the same way. Every amount in a table is exact
/// (nine decimals) and carries its nano-dollars in `data-nano`, so a reader (or a test) can check it against the
/// ledger.
public struct DashboardPage: Sendable {
    /// One labelled count (a queue's depth, batches in a state).
    public struct Count: Sendable, Hashable {
        /// What is counted.
        public var label: String
        /// How many.
        public var value: Int

        /// Creates a count.
        public init(_ label: String, _ value: Int) {
            self.label = label
            self.value = value
        }
    }

    /// The UTC day shown, `YYYY-MM-DD`.
    public var day: String
    /// When the page was made, RFC 3339 (UTC).
    public var generatedAt: String
    /// Today grouped by model.
    public var byModel: Report
    /// Today grouped by task type.
    public var byTaskType: Report
    /// Today grouped by client.
    public var byClient: Report
    /// Budget lines with the live spend.
    public var budgets: [BudgetUse]
    /// Queue depths: requests waiting for rate-limit headroom, deferred tasks by state, batches by state.
    public var queues: [Count]
    /// Seconds between reloads.
    public var refreshSeconds: Int
    /// The address the page reloads (the page itself, without any one-time token).
    public var refreshPath: String

    /// Creates the page's content.
    public init(
        day: String, generatedAt: String, byModel: Report, byTaskType: Report, byClient: Report,
        budgets: [BudgetUse], queues: [Count], refreshSeconds: Int = 5, refreshPath: String = "/dashboard"
    ) {
        self.day = day
        self.generatedAt = generatedAt
        self.byModel = byModel
        self.byTaskType = byTaskType
        self.byClient = byClient
        self.budgets = budgets
        self.queues = queues
        self.refreshSeconds = refreshSeconds
        self.refreshPath = refreshPath
    }

    /// The whole page.
    public func render() -> String {
        let total = byModel.total
        let esc = HTMLReport.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="\(max(1, refreshSeconds));url=\(esc(refreshPath))">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>claude-router dashboard</title>
            <style>
            \(HTMLReport.style)
            </style></head><body>
            <h1>claude-router: today (\(esc(day)) UTC)</h1>
            <p>Live from the ledger and the service; reloads every \(max(1, refreshSeconds)) s. Generated \
            <time id="generated">\(esc(generatedAt))</time>.</p>
            <div class="cards">
            <div class="card">spend today<b id="spend-today" data-nano="\(total.cost.nanoUSD)">$\(total.cost.exactDollars)</b>exact</div>
            <div class="card">saved today<b id="saved-today" data-nano="\(total.saved.nanoUSD)">$\(total.saved.exactDollars)</b>\(ReportFormatter.percent(total.saved.nanoUSD, of: total.baselineCost.nanoUSD)) of $\(total.baselineCost.dollars(decimals: 2)) baseline</div>
            <div class="card">requests<b id="requests-today">\(total.requests)</b>\(total.errors) errors, \(total.retries) retries</div>
            <div class="card">cache hits<b id="cache-hit">\(ReportFormatter.percent(total.usage.cacheRead, of: total.usage.totalInput))</b>\(total.usage.cacheRead) of \(total.usage.totalInput) input tokens</div>
            </div>

            """
        for (title, id, report) in [
            ("Spend today by model", "model", byModel), ("Spend today by task type", "task-type", byTaskType),
            ("Spend today by client", "client", byClient),
        ] {
            html += "<h2>\(title)</h2>\n"
            let rows = report.rows.sorted {
                $0.totals.cost > $1.totals.cost
                    || ($0.totals.cost == $1.totals.cost && $0.labels.lexicographicallyPrecedes($1.labels))
            }
            html += HTMLReport.barChart(rows.prefix(12).map { ($0.labels.first ?? "", $0.totals.cost) }, label: title)
            html += spendTable(rows, id: id, total: report.total)
        }
        html += "<h2>Savings today by lever</h2>\n"
        let levers: [(String, Money)] = [
            ("routing", total.savedByRouting), ("caching", total.savedByCaching), ("batching", total.savedByBatching),
            ("client cache", total.savedByClientCache),
        ]
        html += HTMLReport.barChart(levers, label: "savings by lever")
        html += "<table id=\"savings\"><tr><th class=\"k\">lever</th><th>saved</th></tr>\n"
        for (lever, amount) in levers {
            html +=
                "<tr><td class=\"k\">\(lever)</td><td data-lever=\"\(lever)\" data-nano=\"\(amount.nanoUSD)\">$\(amount.exactDollars)</td></tr>\n"
        }
        html += "</table>\n<h2>Budgets</h2>\n"
        if budgets.isEmpty {
            html += "<p>No client has a budget.</p>\n"
        } else {
            let formatter = ReportFormatter()
            html += "<table id=\"budgets\"><tr>"
            html += ReportFormatter.budgetHeader.dropLast().enumerated()
                .map { "<th\($0 == 0 ? " class=\"k\"" : "")>\($1)</th>" }.joined()
            html += "</tr>\n"
            for budget in budgets {
                html +=
                    "<tr data-budget=\"\(esc(budget.label))\">"
                    + formatter.budgetCells(budget).dropLast().enumerated().map {
                        "<td\($0 == 0 ? " class=\"k\"" : "")>\(esc($1))</td>"
                    }.joined() + "</tr>\n"
            }
            html += "</table>\n"
        }
        html += "<h2>Queues</h2>\n<table id=\"queues\"><tr><th class=\"k\">queue</th><th>depth</th></tr>\n"
        for count in queues {
            html +=
                "<tr><td class=\"k\">\(esc(count.label))</td><td data-queue=\"\(esc(count.label))\">\(count.value)</td></tr>\n"
        }
        html += "</table>\n<h2>Cache today</h2>\n<table id=\"cache\"><tr><th class=\"k\">model</th>"
        html += ["input", "cache write 5m", "cache write 1h", "cache read", "hit"].map { "<th>\($0)</th>" }.joined()
        html += "</tr>\n"
        for row in byModel.rows {
            let u = row.totals.usage
            html +=
                "<tr><td class=\"k\">\(esc(row.labels.first ?? ""))</td><td>\(u.input)</td><td>\(u.cacheWrite5m)</td>"
                + "<td>\(u.cacheWrite1h)</td><td>\(u.cacheRead)</td>"
                + "<td>\(ReportFormatter.percent(u.cacheRead, of: u.totalInput))</td></tr>\n"
        }
        html += "</table>\n"
        return html + "</body></html>\n"
    }

    /// A table of a grouping: requests, tokens and the exact cost (with its nano-dollars), and the total.
    private func spendTable(_ rows: [Report.Row], id: String, total: ReportTotals) -> String {
        let esc = HTMLReport.escape
        var html =
            "<table id=\"by-\(id)\"><tr><th class=\"k\">\(id.replacingOccurrences(of: "-", with: " "))</th>"
            + "<th>requests</th><th>errors</th><th>input</th><th>output</th><th>cost</th><th>saved</th></tr>\n"
        for row in rows {
            let key = row.labels.first ?? ""
            let t = row.totals
            html +=
                "<tr><td class=\"k\">\(esc(key))</td><td>\(t.requests)</td><td>\(t.errors)</td><td>\(t.usage.input)</td>"
                + "<td>\(t.usage.output)</td><td class=\"cost\" data-\(id)=\"\(esc(key))\" data-nano=\"\(t.cost.nanoUSD)\">"
                + "$\(t.cost.exactDollars)</td><td>$\(t.saved.exactDollars)</td></tr>\n"
        }
        html +=
            "<tr class=\"total\"><td class=\"k\">total</td><td>\(total.requests)</td><td>\(total.errors)</td>"
            + "<td>\(total.usage.input)</td><td>\(total.usage.output)</td>"
            + "<td class=\"cost\" data-nano=\"\(total.cost.nanoUSD)\">$\(total.cost.exactDollars)</td>"
            + "<td>$\(total.saved.exactDollars)</td></tr>\n"
        return html + "</table>\n"
    }
}
