import Testing

@testable import RouterHTTP

@Suite struct RandomPoolTests {
    /// Past the pool's 512-number buffer several times: every refill brings new kernel randomness, never the same
    /// buffer again (a request id repeated would join two requests' ledger rows).
    @Test func numbersDoNotRepeatAcrossRefills() {
        let pool = RandomPool()
        var seen = Set<UInt64>()
        for _ in 0..<2_000 { seen.insert(pool.next()) }
        #expect(seen.count == 2_000)
        // Every bit position takes both values: the words are filled, not left zero.
        let ones = seen.reduce(UInt64(0)) { $0 | $1 }
        let zeros = seen.reduce(UInt64(0)) { $0 | ~$1 }
        #expect(ones == .max && zeros == .max)
    }

    @Test func requestIDsAreDistinctAndShaped() {
        let ids = (0..<1_500).map { _ in RequestID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            #expect(id.hasPrefix("rtr_"))
            #expect(id.dropFirst(4).allSatisfy { $0.isASCII && ($0.isNumber || $0.isLowercase) })
        }
    }

    /// Threads drawing at once get distinct numbers (the buffer's cursor is taken under its lock).
    @Test func concurrentDrawsAreDistinct() async {
        let pool = RandomPool()
        let batches = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 { group.addTask { (0..<400).map { _ in pool.next() } } }
            var all: [[UInt64]] = []
            for await batch in group { all.append(batch) }
            return all
        }
        let all = batches.flatMap { $0 }
        #expect(all.count == 3_200 && Set(all).count == 3_200)
    }
}
