import Testing

@testable import ClaudeAPI

@Suite struct ResponseTests {
    @Test func messageRoundTripsAndReadsUsage() throws {
        let bytes = try Fixture.bytes("message_response.json")
        let message = try Message(bytes: bytes)
        #expect(Fixture.text(message.serialized()) == Fixture.text(Fixture.minified(bytes)))
        #expect(message.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF")
        #expect(message.model == "claude-opus-4-5-20251101")
        #expect(message.text == "Hi! My name is Claude.")
        #expect(message.stopReason == "end_turn")
        #expect(message.stopSequence == nil)
        let usage = message.usage
        #expect(usage.inputTokens == 2095)
        #expect(usage.outputTokens == 503)
        #expect(usage.cacheCreationInputTokens == 2051)
        #expect(usage.cacheReadInputTokens == 2051)
        #expect(usage.cacheCreation5mInputTokens == 2051)
        #expect(usage.cacheCreation1hInputTokens == 0)
        #expect(usage.totalInputTokens == 2095 + 2051 + 2051)
        #expect(usage.serviceTier == "standard")
        #expect(usage.inferenceGeo == "global")
        #expect(usage.webSearchRequests == 0)
    }

    @Test func usageWithoutTheSplitCountsAllCreationAsFiveMinutes() throws {
        let usage = try #require(
            Usage(
                json: try JSONValue.parse(
                    #"{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":0,"output_tokens":5}"#
                )))
        #expect(usage.cacheCreation5mInputTokens == 300)
        #expect(usage.cacheCreation1hInputTokens == 0)
        #expect(usage.serviceTier == nil)
    }

    @Test func usageSplitIsReadWhenPresent() {
        let usage = Usage(inputTokens: 1, outputTokens: 2, cacheCreation5m: 30, cacheCreation1h: 70)
        #expect(usage.cacheCreationInputTokens == 100)
        #expect(usage.cacheCreation5mInputTokens == 30)
        #expect(usage.cacheCreation1hInputTokens == 70)
        #expect(
            usage.jsonString()
                == #"{"input_tokens":1,"cache_creation_input_tokens":100,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":30,"ephemeral_1h_input_tokens":70},"output_tokens":2,"service_tier":"standard"}"#
        )
    }

    @Test func usageMergeTakesTheCumulativeDeltaCounts() {
        var usage = Usage(inputTokens: 135, outputTokens: 1, cacheReadInputTokens: 7)
        usage.merge(Usage(raw: ["output_tokens": 10, "input_tokens": 140]))
        #expect(usage.outputTokens == 10)
        #expect(usage.inputTokens == 140)
        #expect(usage.cacheReadInputTokens == 7)
    }

    static let statusTable: [(ErrorType, Int)] = [
        (.invalidRequest, 400), (.authentication, 401), (.permission, 403), (.notFound, 404),
        (.requestTooLarge, 413), (.rateLimit, 429), (.api, 500), (.overloaded, 529),
        (.billing, 402), (.conflict, 409), (.timeout, 504),
    ]

    @Test(arguments: statusTable)
    func errorTypesMapToTheirStatus(type: ErrorType, status: Int) {
        #expect(type.httpStatus == status)
        #expect(ErrorType(httpStatus: status) == type)
    }

    @Test(arguments: [
        (405, ErrorType.invalidRequest), (418, .invalidRequest), (499, .invalidRequest), (501, .api), (503, .api),
        (302, .api), (200, .api),
    ])
    func aStatusWithoutATypeOfItsOwnIsAnInvalidRequestIn4xxElseAnAPIError(status: Int, type: ErrorType) {
        #expect(ErrorType(httpStatus: status) == type)
    }

    @Test func unknownErrorTypesAreKept() throws {
        let body = Array(#"{"type":"error","error":{"type":"quota_exhausted_error","message":"m"}}"#.utf8)
        let response = try #require(ErrorResponse(bytes: body))
        #expect(response.error.type.rawValue == "quota_exhausted_error")
        #expect(response.error.httpStatus == 500)
        #expect(response.serialized() == body)
        #expect(ErrorType(httpStatus: 418) == .invalidRequest)
    }

    @Test func errorBodyRoundTripsWithDetails() throws {
        let bytes = try Fixture.bytes("error.json")
        let response = try #require(ErrorResponse(bytes: bytes))
        #expect(response.error.type == .rateLimit)
        #expect(response.error.detailsErrorCode == "enforced_spend_limit_reached")
        #expect(response.requestID == "req_011CSHoEeqs5C35K2UUqR7Fy")
        #expect(response.serialized() == Fixture.minified(bytes))
        #expect(ErrorResponse(bytes: Array("<html>502</html>".utf8)) == nil)
    }

    @Test func errorBodyBuilderHasTheAPIShape() {
        let body = ErrorResponse.body(type: .overloaded, message: "Overloaded", requestID: "req_9")
        #expect(
            Fixture.text(body)
                == #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_9"}"#)
    }

    @Test func batchObjectRoundTripsAndReads() throws {
        let bytes = try Fixture.bytes("message_batch.json")
        let batch = try #require(MessageBatch(json: try JSONValue.parse(bytes)))
        #expect(batch.serialized() == Fixture.minified(bytes))
        #expect(batch.processingStatus == .inProgress)
        #expect(batch.requestCounts == MessageBatch.RequestCounts(processing: 2))
        #expect(batch.resultsURL == nil)
        let built = MessageBatch(
            id: batch.id, processingStatus: .inProgress, requestCounts: .init(processing: 2),
            createdAt: "2024-09-24T18:37:24.100435Z", expiresAt: "2024-09-25T18:37:24.100435Z")
        #expect(built == batch)
    }

    @Test func deletedBatchBodyHasTheAPIShape() {
        #expect(
            Fixture.text(MessageBatch.deletedBody(id: "msgbatch_1"))
                == #"{"id":"msgbatch_1","type":"message_batch_deleted"}"#)
    }

    @Test func batchResultLinesDecodeEveryOutcome() throws {
        let results = try BatchResult.parseLines(try Fixture.bytes("batch_results.jsonl"))
        #expect(results.map(\.customID) == ["req-1", "req-2", "req-3", "req-4"])
        #expect(results[0].message?.usage.serviceTier == "batch")
        #expect(results[0].message?.text == "Paris.")
        guard case .errored(let error) = results[1].outcome else {
            Issue.record("expected errored")
            return
        }
        #expect(error.error.message == "max_tokens: field required")
        #expect(results[2].outcome == .canceled)
        #expect(results[3].outcome == .expired)
        #expect(BatchResult(customID: "req-3", outcome: .canceled) == results[2])
    }

    @Test func badBatchResultLineIsNamed() {
        let body = Array("{\"custom_id\":\"a\",\"result\":{\"type\":\"expired\"}}\n{\"custom_id\":\"b\"}\n".utf8)
        #expect(throws: WireError.missing("line 2 result")) { try BatchResult.parseLines(body) }
    }

    @Test func batchCreateRequestIsChecked() throws {
        let ok = #"{"requests":[{"custom_id":"a-1","params":{"model":"m","max_tokens":5,"messages":[]}}]}"#
        let request = try MessageBatchCreateRequest(bytes: Array(ok.utf8))
        #expect(request.requests.first?.customID == "a-1")
        #expect(request.requests.first?.params.maxTokens == 5)
        #expect(request.jsonString() == ok)
        let duplicate = #"{"requests":[{"custom_id":"a","params":{}},{"custom_id":"a","params":{}}]}"#
        #expect(throws: WireError.value("requests[1].custom_id", "duplicate custom_id 'a'")) {
            try MessageBatchCreateRequest(bytes: Array(duplicate.utf8))
        }
        let badID = #"{"requests":[{"custom_id":"has space","params":{}}]}"#
        #expect(throws: WireError.value("requests[0].custom_id", "must match ^[a-zA-Z0-9_-]{1,64}$")) {
            try MessageBatchCreateRequest(bytes: Array(badID.utf8))
        }
    }

    @Test func modelObjectRoundTripsAndReadsCapabilities() throws {
        let bytes = try Fixture.bytes("model.json")
        let model = try #require(ModelInfo(json: try JSONValue.parse(bytes)))
        #expect(model.serialized() == Fixture.minified(bytes))
        #expect(model.id == "claude-opus-5")
        #expect(model.maxInputTokens == 1_000_000)
        #expect(model.maxTokens == 128_000)
        #expect(model.supports("batch") == true)
        #expect(model.supports("teleportation") == nil)
    }

    @Test func modelListPageCarriesFirstAndLastIDs() {
        let page = ModelList(
            data: [
                ModelInfo(id: "claude-opus-5", displayName: "Claude Opus 5", createdAt: "2026-07-24T00:00:00Z"),
                ModelInfo(id: "claude-haiku-4-5", displayName: "Claude Haiku 4.5", createdAt: "2025-10-01T00:00:00Z"),
            ], hasMore: false)
        #expect(page.firstID == "claude-opus-5")
        #expect(page.lastID == "claude-haiku-4-5")
        #expect(page.data.count == 2)
        #expect(!page.hasMore)
        #expect(
            ModelList(data: [], hasMore: false).jsonString()
                == #"{"data":[],"has_more":false,"first_id":null,"last_id":null}"#)
    }
}
