import Foundation
import Testing

@testable import ClaudeAPI

@Suite struct MessagesRequestTests {
    func fixture() throws -> (bytes: [UInt8], request: MessagesRequest) {
        let bytes = try Fixture.bytes("messages_request.json")
        return (bytes, try MessagesRequest(bytes: bytes))
    }

    @Test func roundTripReproducesTheBodyExactly() throws {
        let (bytes, request) = try fixture()
        #expect(Fixture.text(request.serialized()) == Fixture.text(Fixture.minified(bytes)))
    }

    @Test func typedPropertiesReadTheBody() throws {
        let (_, request) = try fixture()
        #expect(request.model == "claude-sonnet-4-5")
        #expect(request.maxTokens == 1024)
        #expect(request.messages.count == 3)
        #expect(request.messages[1].role == .assistant)
        #expect(request.messages[1].blocks.map(\.kind) == [.thinking, .text, .toolUse])
        #expect(request.messages[1].blocks[2].input == ["order_id": "A-1042"])
        #expect(request.tools.map(\.name) == ["get_order", "issue_refund", "web_search"])
        #expect(request.tools[2].isServerTool)
        #expect(request.toolChoice?.type == "auto")
        #expect(request.stream == false)
        #expect(request.temperature == 0.7)
        #expect(request.stopSequences == ["\n\nHuman:"])
        #expect(request.metadataUserID == "u_7f3a9c")
        #expect(request.serviceTier == "auto")
        #expect(request.cacheControl == nil)
    }

    @Test func unknownFieldsAndBlockTypesSurvive() throws {
        let (_, request) = try fixture()
        let unknown = request.messages[2].blocks[3]
        #expect(unknown.kind == ContentBlock.Kind(rawValue: "future_block_type"))
        #expect(Fixture.text(unknown.serialized()) == #"{"type":"future_block_type","payload":{"x":1.50,"y":1e2}}"#)
        #expect(request.raw["x_unknown_top_level"]?.jsonString() == #"{"nested":[1,2.0,-0.5e-3,null,true]}"#)
        #expect(request.tools[1].raw["strict"] == true)
    }

    @Test func settingModelChangesOnlyTheModel() throws {
        let (bytes, original) = try fixture()
        var request = original
        request.model = "claude-haiku-4-5"
        let expected = Fixture.text(Fixture.minified(bytes))
            .replacingOccurrences(of: #""model":"claude-sonnet-4-5""#, with: #""model":"claude-haiku-4-5""#)
        #expect(Fixture.text(request.serialized()) == expected)
    }

    @Test func addingCacheControlToABlockChangesOnlyThatBlock() throws {
        let (_, original) = try fixture()
        var request = original
        let changed1 = request.setCacheControl(CacheControl(ttl: .oneHour), at: .message(1, block: 1))
        #expect(changed1)
        let before = original.raw["messages"]!.arrayValue!
        let after = request.raw["messages"]!.arrayValue!
        #expect(after[0] == before[0] && after[2] == before[2])
        let blocksBefore = before[1]["content"]!.arrayValue!
        let blocksAfter = after[1]["content"]!.arrayValue!
        #expect(blocksAfter[0] == blocksBefore[0] && blocksAfter[2] == blocksBefore[2])
        #expect(blocksAfter[1].jsonString()
            == #"{"type":"text","text":"Let me look that order up.","cache_control":{"type":"ephemeral","ttl":"1h"}}"#)
        var others = request.raw
        var originalOthers = original.raw
        others["messages"] = nil
        originalOthers["messages"] = nil
        #expect(others == originalOthers)
    }

    @Test func stringContentBecomesOneBlockWhenMarked() throws {
        let (_, original) = try fixture()
        var request = original
        let changed2 = request.setCacheControlOnLastBlock(ofMessage: 0, CacheControl())
        #expect(changed2)
        #expect(request.raw["messages"]?.arrayValue?[0]["content"]?.jsonString()
            == #"[{"type":"text","text":"Hi, I want to return the blue kettle from order A-1042. It arrived dented.","cache_control":{"type":"ephemeral"}}]"#)
        #expect(request.lastUserText == original.lastUserText)
        let changed3 = request.setCacheControl(nil, at: .message(0, block: 1))
        #expect(changed3 == false)
    }

    @Test func stringSystemBecomesOneBlockWhenMarked() {
        var request = MessagesRequest(model: "m", maxTokens: 1, messages: [MessageParam(role: .user, text: "hi")])
        request.system = .text("Be brief.")
        let changed4 = request.setCacheControlOnLastSystemBlock(CacheControl(ttl: .fiveMinutes))
        #expect(changed4)
        #expect(request.raw["system"]?.jsonString()
            == #"[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"5m"}}]"#)
        #expect(request.systemText == "Be brief.")
        #expect(request.cacheBreakpoints == [CacheBreakpoint(location: .system(0), ttl: .fiveMinutes)])
    }

    @Test func lastToolMarkerCanBeSetAndRemoved() throws {
        let (_, original) = try fixture()
        var request = original
        let changed5 = request.setCacheControlOnLastTool(CacheControl(ttl: .oneHour))
        #expect(changed5)
        #expect(request.tools[2].cacheControl?.ttl == .oneHour)
        let changed6 = request.setCacheControlOnLastTool(nil)
        #expect(changed6)
        #expect(request == original)
        var noTools = MessagesRequest(model: "m", maxTokens: 1, messages: [])
        let changed7 = noTools.setCacheControlOnLastTool(CacheControl())
        #expect(changed7 == false)
        #expect(noTools.raw["tools"] == nil)
    }

    @Test func breakpointsAreListedInProcessingOrder() throws {
        var (_, request) = try fixture()
        request.cacheControl = CacheControl()
        #expect(request.cacheBreakpoints == [
            CacheBreakpoint(location: .tool(1), ttl: .fiveMinutes),
            CacheBreakpoint(location: .system(1), ttl: .oneHour),
            CacheBreakpoint(location: .message(2, block: 2), ttl: .fiveMinutes),
            CacheBreakpoint(location: .topLevel, ttl: .fiveMinutes),
        ])
        #expect(request.cacheBreakpoints.map(\.location.description)
            == ["tools[1]", "system[1]", "messages[2].content[2]", "cache_control"])
    }

    @Test func removeAllCacheControlLeavesNoMarker() throws {
        var (_, request) = try fixture()
        request.cacheControl = CacheControl(ttl: .oneHour)
        request.removeAllCacheControl()
        #expect(request.cacheBreakpoints.isEmpty)
        #expect(!request.jsonString().contains("cache_control"))
        #expect(request.tools.count == 3 && request.turnCount == 3)
    }

    @Test func accessorsSummariseTheConversation() throws {
        let (_, request) = try fixture()
        #expect(request.lastUserText == "Here is a photo of the dent. Can I get a refund?")
        #expect(request.systemText.hasPrefix("You are a meticulous assistant"))
        #expect(request.systemText.contains("\nReturn policy:"))
        #expect(request.hasTools)
        #expect(request.hasImages)
        #expect(!request.hasDocuments)
        #expect(request.hasToolExchange)
        #expect(request.turnCount == 3)
        #expect(request.textByteCount > 400)
    }

    @Test func imagesAndDocumentsInsideToolResultsAreSeen() throws {
        let body = #"""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
            "content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}]}
            """#
        let request = try MessagesRequest(bytes: Array(body.utf8))
        #expect(request.hasDocuments)
        #expect(!request.hasImages)
        #expect(request.lastUserText == "")
    }

    @Test func builtRequestHasTheAPIShape() {
        let request = MessagesRequest(
            model: "claude-haiku-4-5", maxTokens: 64,
            messages: [MessageParam(role: .user, blocks: [.text("Hi", cacheControl: CacheControl())])])
        #expect(request.jsonString()
            == #"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}]}"#)
    }

    @Test func countTokensRequestNeedsNoMaxTokens() throws {
        let body = Array(#"{"model":"claude-opus-5","messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let request = try CountTokensRequest(bytes: body)
        #expect(request.model == "claude-opus-5")
        #expect(request.asMessagesRequest.lastUserText == "hi")
        #expect(throws: WireError.missing("max_tokens")) { try MessagesRequest(bytes: body) }
        #expect(CountTokensResponse(inputTokens: 2095).jsonString() == #"{"input_tokens":2095}"#)
    }
}
