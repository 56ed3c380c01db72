import ClaudeAPI
import Foundation
import RouterCore
import Testing

@Suite struct TokenEstimatorTests {
    static func png(width: UInt32, height: UInt32) -> String {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        for v in [width, height] {
            bytes += [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
        }
        bytes += [8, 6, 0, 0, 0]
        return Data(bytes).base64EncodedString()
    }

    @Test func textIsBytesOverFourRoundedUp() {
        #expect(TokenEstimator.text("") == 0)
        #expect(TokenEstimator.text("abcd") == 1)
        #expect(TokenEstimator.text("abcde") == 2)
    }

    @Test func imagesCostWidthTimesHeightOver750CappedAt1600() {
        let small: JSONValue = [
            "type": "base64", "media_type": "image/png", "data": .string(Self.png(width: 1000, height: 750)),
        ]
        #expect(TokenEstimator.image(small) == 1000)
        let huge: JSONValue = [
            "type": "base64", "media_type": "image/png", "data": .string(Self.png(width: 4000, height: 3000)),
        ]
        #expect(TokenEstimator.image(huge) == 1600)
        #expect(TokenEstimator.image(["type": "url", "url": "https://example.com/a.png"]) == 1600)
    }

    @Test func countsSystemMessagesAndTools() throws {
        let body = try #require(
            JSONValue.parse(
                #"{"model":"auto","max_tokens":10,"system":"abcdefgh","messages":[{"role":"user","content":"abcd"}],"tools":[{"name":"t","input_schema":{"type":"object"}}]}"#
            ).objectValue)
        let toolBytes = Int64(#"{"name":"t","input_schema":{"type":"object"}}"#.utf8.count)
        // system 2 + message framing 4 + text 1 + tool overhead 500 + tool definition.
        #expect(TokenEstimator.request(body) == 2 + 4 + 1 + 500 + (toolBytes + 3) / 4)
    }
}
