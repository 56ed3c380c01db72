import Testing

@testable import UpstreamCurl

/// The multi thread's side of the head: raw lines gathered until the final head ends, interim heads dropped, then
/// parsed on the caller's side by `ResponseHeadParser.parse(head:)`.
@Suite struct ResponseHeadCollectorTests {
    /// Feeds lines one by one (as libcurl's header callback does) and returns each head handed over.
    private func collect(_ lines: [String]) -> [[UInt8]] {
        var collector = ResponseHeadCollector()
        var heads: [[UInt8]] = []
        for line in lines {
            let bytes = Array(line.utf8)
            if let head = bytes.withUnsafeBytes({ collector.consume(line: $0) }) { heads.append(head) }
        }
        return heads
    }

    @Test func handsOverTheFinalHeadAtItsBlankLine() {
        let heads = collect(["HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "\r\n"])
        #expect(heads == [Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".utf8)])
    }

    @Test(arguments: ["HTTP/1.1 100 Continue\r\n", "HTTP/1.1 103 Early Hints\r\n", "HTTP/2 103\r\n"])
    func dropsInterimHeads(interim: String) {
        let heads = collect([interim, "Link: </a.css>\r\n", "\r\n", "HTTP/1.1 529 \r\n", "retry-after: 2\r\n", "\r\n"])
        #expect(heads == [Array("HTTP/1.1 529 \r\nretry-after: 2\r\n".utf8)])
    }

    @Test func ignoresTrailersAfterTheHead() {
        let heads = collect(["HTTP/2 200\r\n", "\r\n", "x-trailer: 1\r\n", "\r\n"])
        #expect(heads.count == 1)
    }

    @Test func collectedHeadParsesLikeLineByLine() {
        let head = collect(["HTTP/2 429\r\n", "retry-after: 3\r\n", "X-Long: a\r\n", "  b\r\n", "\r\n"])[0]
        #expect(
            ResponseHeadParser.parse(head: head)
                == .init(
                    status: 429, httpVersion: "HTTP/2",
                    headers: [.init(name: "retry-after", value: "3"), .init(name: "X-Long", value: "a b")]))
    }

    @Test func parseAcceptsBareLineFeedsAndRejectsAHeadWithoutStatus() {
        #expect(ResponseHeadParser.parse(head: Array("HTTP/1.1 204 No Content\nA: b\n".utf8))?.status == 204)
        #expect(ResponseHeadParser.parse(head: Array("A: b\r\n".utf8)) == nil)
    }
}
