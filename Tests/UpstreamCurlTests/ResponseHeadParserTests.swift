import Testing

@testable import UpstreamCurl

@Suite struct ResponseHeadParserTests {
    private func parse(_ lines: [String]) -> [ResponseHeadParser.Head] {
        var parser = ResponseHeadParser()
        var heads: [ResponseHeadParser.Head] = []
        for line in lines {
            let bytes = Array(line.utf8)
            if let head = bytes.withUnsafeBytes({ parser.consume(line: $0) }) { heads.append(head) }
        }
        return heads
    }

    @Test func parsesStatusVersionAndHeaders() {
        let heads = parse(["HTTP/1.1 200 OK\r\n", "Content-Type: application/json\r\n", "X-A:  b c \r\n", "\r\n"])
        #expect(
            heads == [
                .init(
                    status: 200, httpVersion: "HTTP/1.1",
                    headers: [.init(name: "Content-Type", value: "application/json"), .init(name: "X-A", value: "b c")])
            ])
    }

    @Test func skipsInterimHeads() {
        let heads = parse(["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/2 429\r\n", "retry-after: 3\r\n", "\r\n"])
        #expect(heads == [.init(status: 429, httpVersion: "HTTP/2", headers: [.init(name: "retry-after", value: "3")])])
    }

    @Test func joinsFoldedLinesAndKeepsEmptyValues() {
        let heads = parse(["HTTP/1.1 200 OK\r\n", "X-Long: a\r\n", "  b\r\n", "X-Empty:\r\n", "\r\n"])
        #expect(heads.first?.headers == [.init(name: "X-Long", value: "a b"), .init(name: "X-Empty", value: "")])
    }
}
