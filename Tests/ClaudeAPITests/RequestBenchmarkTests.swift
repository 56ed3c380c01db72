import Testing

@Suite struct RequestBenchmarkTests {
    /// Prints the parse + accessors time of the 2.6 KB fixture; informative only, timing is never asserted.
    @Test func parseAndAccessorsTimeIsPrinted() throws {
        let body = try Fixture.bytes("messages_request.json")
        let parse = RequestBenchmark.microsecondsPerRequest(body: body, iterations: 2_000)
        let write = RequestBenchmark.microsecondsPerSerialization(body: body, iterations: 2_000)
        print(
            "ClaudeAPI benchmark (this build): \(body.count)-byte request, parse+validate+accessors \(parse) µs, serialize \(write) µs"
        )
        #expect(parse > 0)
    }
}
