import HTTPTypes
import Testing

@testable import RouterHTTP

/// `HTTPFields.combined`, which the request path reads headers with instead of the subscript, answers what the
/// subscript answers: nil when absent, the value when present once, the values joined with ", " when repeated.
@Suite struct HTTPFieldsCombinedTests {
    static let beta = HTTPField.Name("anthropic-beta")!

    @Test(arguments: [
        [],
        ["a"],
        ["tools-2024-04-04", "prompt-caching-2024-07-31"],
        ["x", "", "y, z"],
    ])
    func answersAsTheSubscriptDoes(values: [String]) {
        var fields: HTTPFields = [.contentType: "application/json", .accept: "*/*"]
        for value in values { fields.append(HTTPField(name: Self.beta, value: value)) }
        fields.append(HTTPField(name: .userAgent, value: "test"))
        #expect(fields.combined(Self.beta) == fields[Self.beta])
        #expect(fields.combined(Self.beta) == (values.isEmpty ? nil : values.joined(separator: ", ")))
    }

    @Test func namesAreCaseInsensitive() {
        let fields: HTTPFields = [HTTPField.Name("X-Api-Key")!: "k"]
        #expect(fields.combined(HTTPField.Name("x-api-key")!) == "k")
    }
}
