import ClaudeAPI
import Foundation
import RouterCore
import Testing

/// The sample requests in `examples/` route as the README says.
@Suite struct ExampleRequestTests {
    @Test(arguments: [
        ("classification.json", "classification", "claude-haiku-4-5"),
        ("coding.json", "coding", "claude-sonnet-4-6"),
        ("architecture.json", "architecture", "claude-opus-4-6"),
    ])
    func sampleRoutes(file: String, taskType: String, model: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Shipped.root + "/examples/" + file))
        let body = try #require(JSONValue.parse(data: data).objectValue)
        let request = try MessagesRequest(json: .object(body))
        let features = RoutingFeatures(request, client: "dev")
        let d = try Router.route(features, client: Shipped.dev, policy: Shipped.policy, day: Shipped.day)
        #expect(d.classification.taskType == taskType)
        #expect(d.model == model, "\(d.modelReason)")
        #expect(d.estimatedCost < d.estimatedBaselineCost || model == "claude-opus-4-6")
    }
}
