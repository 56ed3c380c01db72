import ClaudeAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PolicyYAML
import RouterCore
import Testing

@testable import RouterHTTP

/// `GET /v1/models` and `/v1/models/{id}` through the router: the API's page shape and parameters, every field
/// the SDK's `ModelInfo` requires, and errors that carry the router's request id.
@Suite struct ModelsEndpointTests {
    static let auth: HTTPFields = [HTTPField.Name("x-api-key")!: ServiceHarness.devKey]

    @Test func listPagesWithLimitAfterIDAndBeforeID() async throws {
        try await ServiceHarness().run { client, _ in
            let all = try await client.execute(uri: "/v1/models", method: .get, headers: Self.auth).json
            let ids = all["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == 4 + PolicyLoader.embeddedDefaults().models.count)  // auto, 3 tiers, the policy's models
            #expect(all["has_more"] == false && all["first_id"] == "auto" && all["last_id"]?.stringValue == ids.last)

            let first = try await client.execute(uri: "/v1/models?limit=2", method: .get, headers: Self.auth).json
            #expect(first["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(ids[0..<2]))
            #expect(first["has_more"] == true && first["last_id"]?.stringValue == ids[1])

            let next = try await client.execute(
                uri: "/v1/models?limit=3&after_id=\(ids[1])", method: .get, headers: Self.auth
            ).json
            #expect(next["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(ids[2..<5]))
            #expect(next["has_more"] == true && next["first_id"]?.stringValue == ids[2])

            let before = try await client.execute(
                uri: "/v1/models?limit=2&before_id=\(ids[4])", method: .get, headers: Self.auth
            ).json
            #expect(before["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(ids[2..<4]))
            #expect(before["has_more"] == true)

            let last = try await client.execute(
                uri: "/v1/models?after_id=\(ids[ids.count - 2])", method: .get, headers: Self.auth
            ).json
            #expect(last["data"]?.arrayValue?.count == 1 && last["has_more"] == false)
        }
    }

    @Test func everyModelHasTheFieldsTheSDKRequires() async throws {
        try await ServiceHarness().run { client, _ in
            let list = try await client.execute(uri: "/v1/models", method: .get, headers: Self.auth).json
            for model in list["data"]?.arrayValue ?? [] {
                #expect(model["type"] == "model" && model["lifecycle"] == "active")
                #expect(model["display_name"]?.stringValue?.isEmpty == false)
                #expect(model["created_at"]?.stringValue?.hasSuffix("Z") == true)
                #expect((model["max_input_tokens"]?.intValue ?? 0) > 0 && (model["max_tokens"]?.intValue ?? 0) > 0)
                let capabilities = try #require(model["capabilities"]?.objectValue)
                for key in [
                    "batch", "citations", "code_execution", "context_management", "effort", "image_input", "pdf_input",
                    "server_tools", "structured_outputs", "thinking",
                ] {
                    #expect(capabilities[key]?["supported"]?.boolValue != nil, "\(key)")
                }
                for kind in ["adaptive", "between_tools", "disabled", "enabled"] {
                    #expect(capabilities["thinking"]?["types"]?[kind]?["supported"]?.boolValue != nil)
                }
            }
            let haiku = try await client.execute(uri: "/v1/models/haiku", method: .get, headers: Self.auth).json
            #expect(haiku["line"] == "haiku" && haiku["max_input_tokens"]?.intValue == 200_000)
            let model = try await client.execute(
                uri: "/v1/models/claude-sonnet-4-6", method: .get, headers: Self.auth
            ).json
            #expect(model["id"] == "claude-sonnet-4-6" && model["line"] == "sonnet")
        }
    }

    @Test(arguments: [
        ("/v1/models?limit=0", 400, "invalid_request_error"),
        ("/v1/models?limit=1001", 400, "invalid_request_error"),
        ("/v1/models?after_id=claude-nope", 404, "not_found_error"),
        ("/v1/models/claude-nope", 404, "not_found_error"),
    ])
    func errorsCarryTheRequestID(uri: String, status: Int, type: String) async throws {
        try await ServiceHarness().run { client, _ in
            let response = try await client.execute(uri: uri, method: .get, headers: Self.auth)
            #expect(Int(response.status.code) == status)
            #expect(response.json["error"]?["type"]?.stringValue == type)
            let id = try #require(response.json["request_id"]?.stringValue)
            #expect(id.hasPrefix("rtr_") && response.header("x-router-request-id") == id)
        }
    }

    @Test func anUnauthenticatedListIsRefusedWithARequestID() async throws {
        try await ServiceHarness().run { client, _ in
            let response = try await client.execute(uri: "/v1/models", method: .get)
            #expect(response.status == .unauthorized)
            #expect(response.json["request_id"]?.stringValue?.hasPrefix("rtr_") == true)
        }
    }
}
