import Testing

@testable import RouterCore

@Suite struct RateLimitBucketTests {
    @Test func bucketStartsFullAndRefillsContinuouslyAtItsPerMinuteRate() {
        var bucket = TokenBucket(limit: 60, now: 0)
        bucket.take(60, now: 0)
        #expect(bucket.available(now: 0) == 0)
        // 60 per minute is one per second, accrued continuously.
        #expect(bucket.available(now: 999) == 0)
        #expect(bucket.available(now: 1_000) == 1)
        #expect(bucket.available(now: 30_000) == 30)
        #expect(bucket.available(now: 600_000) == 60)  // never above capacity
    }

    @Test func refillIsExactOverManySmallSteps() {
        var stepped = TokenBucket(limit: 7, now: 0)
        stepped.take(7, now: 0)
        for t in stride(from: Int64(1), through: 60_000, by: 1) { stepped.refill(now: t) }
        var once = TokenBucket(limit: 7, now: 0)
        once.take(7, now: 0)
        once.refill(now: 60_000)
        #expect(stepped == once)
        #expect(once.available(now: 60_000) == 7)
    }

    @Test func waitTimeIsTheRefillTimeOfTheDeficitRoundedUp() {
        var bucket = TokenBucket(limit: 1_000, now: 0)
        bucket.take(1_000, now: 0)
        // 1,000 per minute: 10 tokens take 600 ms.
        #expect(bucket.millisUntilAvailable(10, now: 0) == 600)
        #expect(bucket.millisUntilAvailable(10, now: 600) == 0)
        // 1 token takes 60 ms.
        #expect(bucket.millisUntilAvailable(1, now: 0) == 60)
    }

    @Test func anAmountLargerThanTheCapacityWaitsForAFullBucketNotForever() {
        var bucket = TokenBucket(limit: 100, now: 0)
        bucket.take(100, now: 0)
        #expect(bucket.millisUntilAvailable(1_000_000, now: 0) == 60_000)
    }

    @Test func debtIsPaidBackBeforeTokensAreAvailableAgain() {
        var bucket = TokenBucket(limit: 600, now: 0)
        bucket.take(600, now: 0)
        bucket.adjust(by: -60, now: 0)  // used 60 more than reserved
        #expect(bucket.available(now: 0) == -60)
        #expect(bucket.millisUntilAvailable(1, now: 0) == 6_100)
    }

    @Test func aLongIdleGapDoesNotOverflow() {
        var bucket = TokenBucket(limit: 10_000_000, now: 0)
        bucket.take(10_000_000, now: 0)
        #expect(bucket.available(now: Int64.max / 2) == 10_000_000)
    }
}
