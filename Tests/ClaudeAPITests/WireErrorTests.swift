import Testing

@testable import ClaudeAPI

@Suite struct WireErrorTests {
    static let cases: [(body: String, error: String)] = [
        (#"{"max_tokens":1,"messages":[]}"#, "model: field required"),
        (#"{"model":"m","messages":[]}"#, "max_tokens: field required"),
        (#"{"model":"m","max_tokens":1}"#, "messages: field required"),
        (#"{"model":7,"max_tokens":1,"messages":[]}"#, "model: expected a string, got number"),
        (#"{"model":"m","max_tokens":"9","messages":[]}"#, "max_tokens: expected an integer, got string"),
        (#"{"model":"m","max_tokens":1.5,"messages":[]}"#, "max_tokens: expected an integer, got 1.5"),
        (#"{"model":"m","max_tokens":-1,"messages":[]}"#, "max_tokens: must be greater than or equal to 0"),
        (#"{"model":"m","max_tokens":1,"messages":{}}"#, "messages: expected an array, got object"),
        (#"{"model":"m","max_tokens":1,"messages":["hi"]}"#, "messages[0]: expected an object, got string"),
        (#"{"model":"m","max_tokens":1,"messages":[{"content":"x"}]}"#, "messages[0].role: field required"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"bot","content":"x"}]}"#,
         "messages[0].role: expected 'user' or 'assistant', got 'bot'"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user"}]}"#, "messages[0].content: field required"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":3}]}"#,
         "messages[0].content: expected a string or an array of blocks, got number"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":[{"type":9}]}]}"#,
         "messages[2].content[0].type: expected a string, got number"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"text":"b"}]}]}"#,
         "messages[0].content[1].type: field required"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"10m"}}]}]}"#,
         "messages[0].content[0].cache_control.ttl: expected '5m' or '1h', got '10m'"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"persistent"}}]}]}"#,
         "messages[0].content[0].cache_control.type: expected 'ephemeral', got 'persistent'"),
        (#"{"model":"m","max_tokens":1,"messages":[],"system":5}"#,
         "system: expected a string or an array of text blocks, got number"),
        (#"{"model":"m","max_tokens":1,"messages":[],"system":[{"type":"image"}]}"#,
         "system[0].type: expected 'text', got 'image'"),
        (#"{"model":"m","max_tokens":1,"messages":[],"system":[{"type":"text","text":"a","cache_control":"yes"}]}"#,
         "system[0].cache_control: expected an object, got string"),
        (#"{"model":"m","max_tokens":1,"messages":[],"tools":{}}"#, "tools: expected an array, got object"),
        (#"{"model":"m","max_tokens":1,"messages":[],"tools":[{"name":"a"},"b"]}"#,
         "tools[1]: expected an object, got string"),
        (#"{"model":"m","max_tokens":1,"messages":[],"tools":[{"name":"a","cache_control":{"type":"ephemeral","ttl":5}}]}"#,
         "tools[0].cache_control.ttl: expected a string, got number"),
        (#"{"model":"m","max_tokens":1,"messages":[],"stream":"true"}"#, "stream: expected a boolean, got string"),
        (#"{"model":"m","max_tokens":1,"messages":[],"tool_choice":{}}"#, "tool_choice.type: field required"),
        (#"{"model":"m","max_tokens":1,"messages":[],"stop_sequences":["a",1]}"#,
         "stop_sequences[1]: expected a string, got number"),
        (#"{"model":"m","max_tokens":1,"messages":[],"cache_control":{"ttl":"1h"}}"#,
         "cache_control.type: field required"),
        (#"[1,2]"#, "expected an object, got array"),
    ]

    @Test(arguments: cases)
    func badRequestsNameThePath(body: String, expected: String) {
        do {
            _ = try MessagesRequest(bytes: Array(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func invalidJSONIsReportedWithItsPosition() {
        #expect {
            _ = try MessagesRequest(bytes: Array(#"{"model": }"#.utf8))
        } throws: { error in
            (error as? WireError)?.code == .invalidJSON && "\(error)".contains("line 1, column 11")
        }
    }

    @Test(arguments: [
        #"{"model":"m","max_tokens":0,"messages":[]}"#,
        #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[]}],"system":"s","stream":true}"#,
        #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":null}]}]}"#,
        #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"a"}],"cache_control":{"type":"ephemeral","ttl":"1h"}}"#,
    ])
    func validRequestsAreAccepted(body: String) throws {
        let request = try MessagesRequest(bytes: Array(body.utf8))
        #expect(request.jsonString() == body)
    }

    @Test func wireErrorBecomesAnInvalidRequestBody() {
        let error = APIError(WireError.missing("max_tokens"))
        #expect(error.httpStatus == 400)
        #expect(Fixture.text(ErrorResponse(error: error, requestID: "req_1").serialized())
            == #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: field required"},"request_id":"req_1"}"#)
    }
}
