import Testing

@testable import RouterHTTP

/// The relay passes on whole events only; these are the boundaries it finds.
@Suite struct SSEFramingTests {
    func end(_ text: String) -> Int? { SSEFraming.endOfLastEvent(Array(text.utf8)) }

    @Test func wholeEventsEndAtTheirBlankLine() {
        #expect(end("event: ping\ndata: {}\n\n") == 22)
        #expect(end("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n") == 36)
    }

    @Test func aTornEventIsHeldBack() {
        #expect(end("event: a\ndata: 1\n\nevent: b\ndata: {\"ty") == 18)
        #expect(end("event: b\ndata: {\"ty") == nil)
        #expect(end("event: b\ndata: 2\n") == nil)
        #expect(end("") == nil)
    }

    @Test func crlfFramingIsUnderstood() {
        #expect(end("event: a\r\ndata: 1\r\n\r\nevent: b") == 21)
    }
}
