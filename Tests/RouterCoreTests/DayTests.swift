import RouterCore
import Testing

@Suite struct DayTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0)), ("2024-02-29", 19782), ("2026-11-28", 20785), ("2027-01-01", 20819),
    ])
    func convertsDatesBothWays(iso: String, days: Int64) {
        let day = Day(iso: iso)
        #expect(day?.daysSinceEpoch == days)
        #expect(day?.description == iso)
    }

    @Test func rejectsImpossibleDates() {
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2026-13-01") == nil)
        #expect(Day(iso: "26-01-01") == nil)
    }

    @Test func findsTheDayOfAnInstantAndTheNextMonth() {
        let day = Day(epochMillis: 1_798_761_599_000)  // 2026-12-31T23:59:59Z
        #expect(day.description == "2026-12-31")
        #expect(day.firstOfNextMonth.description == "2027-01-01")
        #expect(day.next.startMillis == 1_798_761_600_000)
    }
}
