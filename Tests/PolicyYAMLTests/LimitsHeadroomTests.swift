import Foundation
import PolicyYAML
import RouterCore
import Testing

/// `headroom_percent` in limits.yaml: read, validated like the other keys, and carried to the pacer's buckets.
@Suite struct LimitsHeadroomTests {
    @Test func headroomPercentIsReadAndReachesEveryBucketsPacedLimits() throws {
        let policy = try PolicyLoader.load(
            files: Fixture.with(["limits.yaml": "headroom_percent: 20\nbuckets:\n  b: {rpm: 10, itpm: 1000, otpm: 100}\n"]))
        #expect(policy.limits.headroomPercent == 20)
        let bucket = try #require(policy.limits.rateLimits["b"])
        #expect(bucket.headroomPercent == 20)
        #expect(bucket.paced(10) == 8 && bucket.paced(1000) == 800 && bucket.paced(100) == 80)
        #expect(policy.limits.unnamedBucketLimits.headroomPercent == 20)
    }

    @Test func withoutTheKeyThereIsNoMargin() throws {
        let policy = try PolicyLoader.load(files: Fixture.with([:]))
        #expect(policy.limits.headroomPercent == 0)
        #expect(policy.limits.rateLimits["b"]?.paced(10) == 10)
    }

    @Test(arguments: [
        ("headroom_percent: 95\n", "limits.yaml:1:19", "'headroom_percent' must be at most 90"),
        ("headroom_percent: -1\n", "limits.yaml:1:19", "'headroom_percent' must be at least 0, found -1"),
        ("headroom_percent: lots\n", "limits.yaml:1:19", "'headroom_percent' must be a whole number"),
    ])
    func anOutOfRangeMarginIsAnErrorAtItsLine(line: String, location: String, message: String) {
        do {
            _ = try PolicyLoader.load(
                files: Fixture.with(["limits.yaml": line + "buckets:\n  b: {rpm: 10, itpm: 1000, otpm: 100}\n"]))
            Issue.record("the policy loaded")
        } catch {
            let got = error.issues.map(\.description)
            #expect(got.count == 1, "\(got)")
            #expect(got.contains { $0.hasPrefix(location + ": error: ") && $0.contains(message) }, "\(got)")
        }
    }

    @Test func theShippedLimitsKeepAFivePercentMargin() throws {
        let policy = PolicyLoader.embeddedDefaults()
        #expect(policy.limits.headroomPercent == 5)
        #expect(policy.limits.rateLimits["sonnet-4"]?.paced(1_000) == 950)
    }
}

/// `upstream_may_raise` in limits.yaml.
@Suite struct LimitsCeilingYAMLTests {
    @Test func theLimitsAreACeilingUnlessThePolicySaysOtherwise() throws {
        let bucket = "buckets:\n  b: {rpm: 10, itpm: 1000, otpm: 100}\n"
        let plain = try PolicyLoader.load(files: Fixture.with(["limits.yaml": bucket]))
        #expect(plain.limits.upstreamMayRaise == false)
        #expect(plain.limits.rateLimits["b"]?.upstreamMayRaise == false)
        let raising = try PolicyLoader.load(files: Fixture.with(["limits.yaml": "upstream_may_raise: true\n" + bucket]))
        #expect(raising.limits.rateLimits["b"]?.upstreamMayRaise == true)
    }
}
