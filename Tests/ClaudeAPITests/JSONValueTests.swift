import Testing

@testable import ClaudeAPI

@Suite struct JSONValueTests {
    @Test func roundTripKeepsKeyOrderAndNumberText() throws {
        let text = #"{"z":1,"a":1.0,"m":[true,false,null,"x\n\"y\""],"big":12345678901234567890,"e":1e-7}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonString() == text)
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        do {
            _ = try JSONValue.parse("{\n  \"a\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
    }

    @Test func unicodeEscapesDecode() throws {
        let value = try JSONValue.parse(#""\u00e9\ud83d\ude00""#)
        #expect(value.stringValue == "é😀")
    }
}
