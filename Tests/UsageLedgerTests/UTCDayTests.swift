import Testing

@testable import UsageLedger

@Suite struct UTCDayTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0)), ("2000-02-29", 11_016), ("2026-11-01", 20_758), ("1969-12-31", -1),
        ("2100-03-01", 47_541),
    ])
    func civilDatesMapToDayNumbers(text: String, number: Int64) throws {
        let day = try #require(UTCDay(iso: text))
        #expect(day.number == number)
        #expect(day.description == text)
    }

    @Test func invalidDatesAreRejected() {
        for text in ["2026-02-29", "2026-13-01", "2026-11-1", "26-11-01", "2026-00-10", "garbage"] {
            #expect(UTCDay(iso: text) == nil, "\(text)")
        }
    }

    @Test func millisecondsBeforeTheEpochFloorToThePreviousDay() {
        #expect(UTCDay(containingMillis: -1).number == -1)
        #expect(UTCDay(containingMillis: UTCDay.millis - 1).number == 0)
    }

    @Test func monthBoundaries() {
        let day = UTCDay(iso: "2026-12-15")!
        #expect(day.firstOfMonth.description == "2026-12-01")
        #expect(day.firstOfNextMonth.description == "2027-01-01")
    }
}
