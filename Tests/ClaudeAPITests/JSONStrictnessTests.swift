import Testing

@testable import ClaudeAPI

/// One body, one meaning: a repeated key or invalid UTF-8 anywhere is refused, never resolved or replaced.
@Suite struct JSONStrictnessTests {
    func duplicatePath(_ text: String) -> String? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return error.duplicateKeyPath
        }
    }

    @Test(arguments: [
        (#"{"model":"a","model":"b"}"#, "model"),
        (#"{"messages":[{"role":"user","role":"assistant"}]}"#, "messages[0].role"),
        (#"{"a":{"b":[1,{"c":1,"c":2}]}}"#, "a.b[1].c"),
        (#"[{"x":1},{"y":1,"y":2}]"#, "[1].y"),
        (#"{"a b":{"k":1,"k":1}}"#, #"["a b"].k"#),
        (#"{"":1,"":2}"#, #"[""]"#),
    ])
    func aRepeatedKeyIsRefusedAndNamedByItsPath(text: String, path: String) {
        #expect(duplicatePath(text) == path)
    }

    @Test func aRepeatedKeyInALargeObjectIsFoundToo() {
        let keys = (0..<100).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(duplicatePath("{\(keys),\"k99\":0}") == "k99")
        #expect(duplicatePath("{\(keys)}") == nil)
    }

    @Test(arguments: [
        (#"{"a":1"#, "line 1, column 7: unexpected end of input in an object"),
        (#"{"a":1 x}"#, "line 1, column 8: expected ',' or '}'"),
        (#"{"a" 1}"#, "line 1, column 6: expected ':'"),
        (#"{"a":1,}"#, "line 1, column 8: expected a string key"),
        ("[1, 2", "line 1, column 6: unexpected end of input in an array"),
        ("[1 2]", "line 1, column 4: expected ',' or ']'"),
        ("\n[1,\n", "line 3, column 1: unexpected end of input"),
        ("[[1]\n", "line 2, column 1: unexpected end of input in an array"),
    ])
    func aMalformedObjectOrArrayIsRefusedSayingWhatWasExpectedAndWhere(text: String, message: String) {
        do {
            _ = try JSONValue.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == "invalid JSON at " + message)
        }
    }

    @Test func whiteSpaceAroundMembersAndEmptyContainersParse() throws {
        let value = try JSONValue.parse(" { \"a\" : [ 1 , [ ] , { } ] ,\n\t\"b\":{ \"c\" :true } } ")
        #expect(value.jsonString() == #"{"a":[1,[],{}],"b":{"c":true}}"#)
    }

    @Test func theSameKeyInSiblingObjectsIsFine() throws {
        let value = try JSONValue.parse(#"{"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]}"#)
        #expect(value["b"]?["k"]?.intValue == 2)
    }

    @Test func aMessagesBodyWithARepeatedKeyIsAWireErrorNamingIt() {
        do {
            _ = try MessagesRequest(bytes: Array(#"{"model":"a","max_tokens":1,"max_tokens":2,"messages":[]}"#.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .duplicateKey)
            #expect(error.path == "max_tokens")
            #expect(error.description.hasPrefix("max_tokens: duplicate key"))
        }
    }

    @Test(arguments: [
        [0xFF], [0x80], [0xC0, 0xAF], [0xC1, 0x81], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ] as [[UInt8]])
    func invalidUTF8IsRefusedNotReplaced(bad: [UInt8]) {
        for prefix in [Array(#"{"k":"a"#.utf8), Array(#"{"k":"\n"#.utf8), Array(#"{"a"#.utf8)] {
            let suffix: [UInt8] = prefix.count == 4 ? Array(#"":1}"#.utf8) : Array(#""}"#.utf8)
            do {
                _ = try JSONValue.parse(prefix + bad + suffix)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.reason.contains("UTF-8"), "\(error)")
            }
        }
    }

    @Test func validUTF8PassesThroughUnchanged() throws {
        let text = #"{"k":"é ü 中文 🎉 \u00e9 \ud83c\udf89 \u0000 end"}"#
        let value = try JSONValue.parse(text)
        #expect(value["k"]?.stringValue == "é ü 中文 🎉 é 🎉 \u{0} end")
        // Every boundary of the encoding: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF.
        let edges = "\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
        #expect(try JSONValue.parse("[\"\(edges)\"]").arrayValue?.first?.stringValue == edges)
    }
}
