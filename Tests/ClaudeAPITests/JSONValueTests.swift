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

@Suite struct JSONObjectTests {
    @Test func settingAnExistingKeyKeepsItsPlaceAndNewKeysAppend() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = 3
        object["b"] = nil
        #expect(JSONValue.object(object).jsonString() == #"{"a":"x","c":3}"#)
        #expect(object.keys == ["a", "c"])
        #expect(object.entries.map(\.key) == ["a", "c"])
    }

    @Test func modifyHelpersEditNestedValuesInPlace() {
        var object: JSONObject = ["list": [["k": 1], ["k": 2]]]
        let edited = object.modifyValue(forKey: "list") { list in
            list.modifyElement(at: 1) { element in element.modifyObject { $0["k"] = 20 } }
        }
        #expect(edited != nil)
        #expect(JSONValue.object(object).jsonString() == #"{"list":[{"k":1},{"k":20}]}"#)
        #expect(object.modifyValue(forKey: "missing") { _ in true } == nil)
        var list: JSONValue = [1]
        #expect(list.modifyElement(at: 5) { _ in true } == nil)
        #expect(list == [1])
    }

    @Test func iterationYieldsMembersInOrder() {
        let object: JSONObject = ["z": 1, "a": 2]
        #expect(object.map(\.key) == ["z", "a"])
        #expect(JSONObject(object.entries) == object)
    }
}
