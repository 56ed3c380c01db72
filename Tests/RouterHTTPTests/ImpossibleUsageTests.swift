import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RouterCore
import Testing

@testable import RouterHTTP

/// A broken upstream's usage (counts near `Int64.max`, negative, not numbers) never traps the service: the call gets
/// a typed error row with zero tokens and cost, and an error log line; the next call is served as usual.
@Suite struct ImpossibleUsageTests {
    static func message(_ usage: String) -> [UInt8] {
        Array(
            #"{"id":"msg_x","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,"usage":\#(usage)}"#
                .utf8)
    }

    @Test(arguments: [
        #"{"input_tokens":9223372036854775000,"output_tokens":9223372036854775000}"#,
        #"{"input_tokens":10,"output_tokens":1,"cache_read_input_tokens":9223372036854775807,"cache_creation_input_tokens":9223372036854775807}"#,
        #"{"input_tokens":-5,"output_tokens":3}"#,
        #"{"input_tokens":1e300,"output_tokens":3}"#,
        #"{"input_tokens":1,"output_tokens":1,"server_tool_use":{"web_search_requests":9223372036854775807}}"#,
    ])
    func anImpossibleUsageBecomesAnErrorRowAndTheServiceKeepsServing(usage: String) async throws {
        let recorder = MemoryRecorder()
        let logs = CapturedLogs()
        let normal = #"{"input_tokens":12,"output_tokens":3}"#
        let streamed = ScriptedStream.events(
            model: "claude-sonnet-4-6", start: usage, delta: #"{"output_tokens":9223372036854775807}"#, text: ["x"])
        let transport = ScriptedTransport([
            .init(chunks: [Self.message(usage)]),
            .init(contentType: "text/event-stream", chunks: streamed),
            .init(chunks: [Self.message(normal)]),
        ])
        try await ScriptedTransport.run(
            transport, policy: try ServiceHarness.policy(), recorder: recorder, logger: logs.logger()
        ) { client, service in
            let body = #"{"model":"claude-sonnet-4-6","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#
            let first = try await client.post("/v1/messages", json: body)
            #expect(first.status == .ok, "the client still gets the upstream's answer")
            let stream = try await client.post(
                "/v1/messages", json: body.replacingOccurrences(of: "\"max_tokens\"", with: "\"stream\":true,\"max_tokens\""))
            #expect(stream.status == .ok)
            let next = try await client.post("/v1/messages", json: body)
            #expect(next.status == .ok)
            #expect(service.holds.count == 0)
        }
        let rows = recorder.requests
        #expect(rows.count == 3)
        for row in rows.prefix(2) {
            #expect(row.errorType == PricingError.ledgerErrorType)
            #expect(row.usage == .zero && row.cost == .zero)
        }
        #expect(rows[2].errorType == nil && rows[2].cost.nanoUSD == 12 * 3000 + 3 * 15_000)
        #expect(logs.all.filter { $0.hasPrefix("error") && $0.contains("cannot be billed") }.count == 2)
    }
}
