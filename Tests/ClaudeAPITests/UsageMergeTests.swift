import Testing

@testable import ClaudeAPI

/// A stream's usage: `message_delta` replaces only the fields it carries, and its cache-write total has no TTL split.
@Suite struct UsageMergeTests {
    static func usage(_ json: String) throws -> Usage {
        try #require(Usage(json: try JSONValue.parse(Array(json.utf8))))
    }

    @Test func theDeltaKeepsTheStartsOneHourSplit() throws {
        var start = try Self.usage(
            #"{"input_tokens":10,"cache_creation_input_tokens":2000,"cache_read_input_tokens":5,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":1500},"output_tokens":1}"#)
        start.merge(try Self.usage(#"{"cache_creation_input_tokens":2000,"output_tokens":40}"#))
        #expect(start.cacheCreation5mInputTokens == 500)
        #expect(start.cacheCreation1hInputTokens == 1500)
        #expect(start.outputTokens == 40)
        #expect(start.inputTokens == 10 && start.cacheReadInputTokens == 5)
    }

    @Test func aGrownWriteTotalGoesToTheFiveMinuteWritesAndServerToolsMerge() throws {
        var start = try Self.usage(
            #"{"input_tokens":10,"cache_creation_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":100},"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"output_tokens":1}"#)
        start.merge(try Self.usage(#"{"cache_creation_input_tokens":160,"server_tool_use":{"web_search_requests":2},"output_tokens":9}"#))
        #expect(start.cacheCreation1hInputTokens == 100)
        #expect(start.cacheCreation5mInputTokens == 60)
        #expect(start.webSearchRequests == 2)
        #expect(start.raw["server_tool_use"]?["web_fetch_requests"]?.intValue == 0)
    }

    @Test func countsThatAreNotWholeNumbersAreNamed() throws {
        let usage = try Self.usage(#"{"input_tokens":1e30,"output_tokens":3,"cache_creation":{"ephemeral_1h_input_tokens":-0.5}}"#)
        #expect(usage.unreadableCounts == ["input_tokens", "cache_creation.ephemeral_1h_input_tokens"])
        #expect(try Self.usage(#"{"input_tokens":9223372036854775807,"cache_read_input_tokens":9}"#).totalInputTokens == .max)
    }
}
