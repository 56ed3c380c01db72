import Foundation
import RouterCore
import Testing

@testable import UsageLedger

@Suite struct ReportFormatterTests {
    static func report() -> Report {
        var haiku = ReportTotals()
        haiku.add(Rows.request(at: Rows.november1, client: "a,b \"quoted\"", cost: 123_456_789, baseline: 223_456_789))
        var sonnet = ReportTotals()
        sonnet.add(Rows.request(at: Rows.november1, model: "claude-sonnet-4-6", cost: 1, baseline: 1))
        return Report(
            query: ReportQuery(sinceMillis: Rows.november1, groupBy: [.model, .client]),
            rows: [
                Report.Row(labels: ["claude-haiku-4-5", "a,b \"quoted\""], totals: haiku),
                Report.Row(labels: ["claude-sonnet-4-6", "<b>&"], totals: sonnet),
            ], source: .rollup)
    }

    @Test func csvQuotesFieldsAndCarriesExactMoney() {
        let csv = ReportFormatter().render(Self.report(), as: .csv)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("claude-haiku-4-5,\"a,b \"\"quoted\"\"\",1,"))
        #expect(lines[1].contains(",0.123456789,"))
        #expect(lines[3].hasPrefix("TOTAL,,2,"))
        #expect(lines[3].contains(",0.123456790,"))
    }

    @Test func tableRoundsForReadingAndStatesTheExactTotal() {
        let table = ReportFormatter().render(Self.report(), as: .table)
        #expect(table.contains("0.1235"))
        #expect(table.contains("Total cost (exact): $0.123456790"))
    }

    @Test func jsonIsValidAndExact() throws {
        let json = ReportFormatter().render(Self.report(), as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(total["cost_usd"] as? String == "0.123456790")
        #expect((total["cost_nano_usd"] as? NSNumber)?.int64Value == 123_456_790)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect((rows[0]["group"] as? [String: String])?["client"] == "a,b \"quoted\"")
    }

    @Test func markdownHasOneLinePerRowAndTheTotal() {
        let markdown = ReportFormatter().render(Self.report(), as: .markdown)
        #expect(markdown.contains("| **total** |  | 2 |"))
        #expect(markdown.contains("**$0.123456790**"))
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let report = Self.report()
        let html = HTMLReport(summary: report, byDayAndModel: report, byTaskType: report).render()
        #expect(html.contains("<svg"))
        #expect(html.contains("&lt;b&gt;&amp;"))
        #expect(!html.contains("<b>&"))
        #expect(!html.contains("<script"))
        // No resource is fetched: the only URL is the SVG namespace identifier.
        let urls = html.components(separatedBy: "http").count - 1
        let namespaces = html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1
        #expect(urls == namespaces)
        #expect(html.contains("Exact total cost: $0.123456790"))
    }
}
