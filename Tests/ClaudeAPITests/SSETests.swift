import Foundation
import Testing

@testable import ClaudeAPI

@Suite struct SSETests {
    func parseAll(_ chunks: [[UInt8]]) -> [ServerSentEvent] {
        var parser = SSEParser()
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += parser.feed(chunk) }
        return events + parser.finish()
    }

    @Test func recordedStreamParsesIntoItsEvents() throws {
        let events = parseAll([try Fixture.bytes("stream.sse")])
        #expect(events.map { $0.event ?? "" } == [
            "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
            "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
            "content_block_delta", "content_block_stop", "future_event_type", "message_delta", "message_stop",
        ])
        let typed = try events.map { try StreamEvent($0) }
        #expect(typed.map(\.type) == events.map { $0.event ?? "" })
        #expect(typed[11].kind == .unknown("future_event_type"))
        guard case .messageStart(let start) = typed[0].kind else {
            Issue.record("expected message_start")
            return
        }
        #expect(start.usage.inputTokens == 135)
        #expect(start.stopReason == nil)
        guard case .contentBlockDelta(let index, let delta) = typed[3].kind else {
            Issue.record("expected a delta")
            return
        }
        #expect(index == 0 && delta.text == "[")
    }

    @Test func oneByteAtATimeAndRandomChunksGiveTheSameEvents() throws {
        let bytes = try Fixture.bytes("stream.sse")
        let whole = parseAll([bytes])
        #expect(parseAll(bytes.map { [$0] }) == whole)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            var chunks: [[UInt8]] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...97, using: &generator))
                chunks.append(Array(bytes[start..<end]))
                start = end
            }
            #expect(parseAll(chunks) == whole)
        }
    }

    @Test func crlfAndCrLineEndingsAreEquivalentEvenWhenSplit() throws {
        let lf = try Fixture.bytes("stream.sse")
        let crlf = Array(Fixture.text(lf).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let cr = Array(Fixture.text(lf).replacingOccurrences(of: "\n", with: "\r").utf8)
        let expected = parseAll([lf])
        #expect(parseAll([crlf]) == expected)
        #expect(parseAll(crlf.map { [$0] }) == expected)
        #expect(parseAll([cr]) == expected)
    }

    @Test func commentsMultiLineDataAndFieldsFollowTheSpec() {
        let text = ": keep-alive\nevent: note\nid: 7\nretry: 1500\ndata: first\ndata:second\ndata\n\n: another\n\ndata: x\n\n"
        let events = parseAll([Array(text.utf8)])
        #expect(events == [
            ServerSentEvent(event: "note", data: "first\nsecond\n", id: "7", retry: 1500),
            ServerSentEvent(event: nil, data: "x", id: "7", retry: nil),
        ])
    }

    @Test func eventWithoutDataIsNotDispatched() {
        #expect(parseAll([Array("event: empty\n\nevent: real\ndata: 1\n\n".utf8)])
            == [ServerSentEvent(event: "real", data: "1")])
    }

    @Test func leadingBOMIsSkipped() {
        #expect(parseAll([[0xEF, 0xBB, 0xBF] + Array("data: a\n\n".utf8)]) == [ServerSentEvent(data: "a")])
    }

    @Test func truncatedFinalEventIsStillReturnedByFinish() {
        var parser = SSEParser()
        #expect(parser.feed(Array("event: message_stop\ndata: {\"type\":\"message_stop\"}".utf8)).isEmpty)
        #expect(parser.finish() == [ServerSentEvent(event: "message_stop", data: #"{"type":"message_stop"}"#)])
    }

    @Test(arguments: [
        ServerSentEvent(event: "message_stop", data: #"{"type":"message_stop"}"#),
        ServerSentEvent(event: nil, data: "line one\nline two\n\nline four"),
        ServerSentEvent(event: "x", data: "crlf\r\nand cr\rend", id: "42", retry: 3000),
        ServerSentEvent(event: "x", data: ""),
        ServerSentEvent(event: "x", data: " leading space and: colon"),
    ])
    func writerOutputParsesBack(event: ServerSentEvent) {
        var expected = event
        expected.data = event.data.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        #expect(parseAll([SSEWriter.encode(event)]) == [expected])
    }

    @Test func streamEventsWriteInTheAPIFraming() throws {
        let bytes = SSEWriter.encode(StreamEvent.contentBlockDelta(index: 0, delta: .text("Hi\n")))
        #expect(Fixture.text(bytes)
            == "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\\n\"}}\n\n")
        let events: [StreamEvent] = [
            .messageStart(Message(id: "msg_1", model: "m", content: [], stopReason: nil, usage: Usage(inputTokens: 5, outputTokens: 1))),
            .contentBlockStart(index: 0, block: .text("")), .ping,
            .contentBlockDelta(index: 0, delta: .text("Hel")), .contentBlockDelta(index: 0, delta: .text("lo")),
            .contentBlockStop(index: 0),
            .messageDelta(stopReason: "end_turn", usage: Usage(raw: ["output_tokens": 3])), .messageStop,
            .error(APIError(type: .overloaded, message: "Overloaded")),
        ]
        var stream: [UInt8] = []
        for event in events { stream += SSEWriter.encode(event) }
        let parsed = try parseAll([stream]).map { try StreamEvent($0) }
        #expect(parsed == events)
        #expect(parsed.last?.kind == .error(APIError(type: .overloaded, message: "Overloaded")))
    }

    @Test func accumulatorRebuildsTheFinalMessage() throws {
        var accumulator = MessageAccumulator()
        for event in parseAll([try Fixture.bytes("stream.sse")]) { accumulator.apply(try StreamEvent(event)) }
        let message = accumulator.message
        #expect(accumulator.isComplete)
        #expect(accumulator.error == nil)
        #expect(message.id == "msg_01LtFpmR8SbmiK2kRA5sWXNi")
        #expect(message.text == #"["ok"]"#)
        #expect(message.content[1].input == ["location": "San Francisco, CA"])
        #expect(message.stopReason == "tool_use")
        #expect(message.usage.outputTokens == 10)
        #expect(message.usage.inputTokens == 135)
        #expect(message.usage.serviceTier == "standard")
    }

    @Test func accumulatorKeepsTheErrorEvent() throws {
        var accumulator = MessageAccumulator()
        let data = Array("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n".utf8)
        for event in parseAll([data]) { accumulator.apply(try StreamEvent(event)) }
        #expect(accumulator.error?.type == .overloaded)
        #expect(!accumulator.isComplete)
    }
}
