import Foundation
import PolicyYAML
import RouterCore
import RouterEvaluation
import Testing

/// The floors, on the held-out split of the committed labels, with the shipped policy and model: what CI
/// relies on to catch a policy or model change that routes worse.
@Suite struct HeldOutFloorsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The held-out labels: `Evaluation/routing/labels` (or the `:`-separated paths of `ROUTER_LABELS`).
    static func heldout() throws -> [LabelledRequest] {
        let paths =
            ProcessInfo.processInfo.environment["ROUTER_LABELS"]?.split(separator: ":").map(String.init)
            ?? [root + "/Evaluation/routing/labels"]
        return try LabelledRequest.load(paths: paths).filter { $0.split == "heldout" }
    }

    static let report: RoutingEvaluationReport? = {
        guard let labels = try? heldout(), !labels.isEmpty,
            let policy = try? PolicyLoader.load(directory: root + "/policies")
        else { return nil }
        return RoutingEvaluation.evaluate(labels, policy: policy, day: Day(iso: "2026-12-01")!)
    }()

    @Test func theHeldOutSplitIsThere() throws {
        let report = try #require(Self.report, "no held-out labels under Evaluation/routing/labels")
        #expect(report.count >= 400)
    }

    @Test func atLeast92PercentOfDecisionsAreAcceptable() throws {
        let report = try #require(Self.report)
        #expect(report.acceptableRate >= 0.92, "\(report.text())")
    }

    @Test func atMostOnePercentOfOpusLabelledRequestsGoToHaiku() throws {
        let report = try #require(Self.report)
        #expect(report.opusToHaikuRate <= 0.01, "\(report.opusToHaiku)/\(report.opusLabelled)")
    }

    @Test func noOneLineQuestionGoesToOpus() throws {
        let report = try #require(Self.report)
        #expect(report.shortQuestionsToOpus.map(\.label.id) == [])
    }

    @Test func everydayRoutingCostsAtLeast60PercentLessThanAlwaysSonnet() throws {
        let report = try #require(Self.report)
        #expect(report.saving(against: .sonnet, everyday: true) >= 0.60)
    }
}
