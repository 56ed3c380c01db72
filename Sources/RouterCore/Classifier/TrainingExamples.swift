import ClaudeAPI

/// Reads labelled examples from the JSONL files in `policies/examples/`.
public enum TrainingExamples {
    /// Parses one JSONL file: each non-blank line is an object `{"text": "...", "label": "..."}`.
    ///
    /// Blank lines and lines starting with `//` or `#` are skipped, so operators may annotate the files.
    /// Other keys on a line (e.g. `"source"`, `"note"`) are ignored. Labels are trimmed of surrounding spaces.
    ///
    /// - Parameters:
    ///   - text: the whole file's contents.
    ///   - file: the name to put in errors (usually the path the text was read from).
    /// - Throws: `TrainingExampleParseError` naming `file:line` of the first bad line: invalid JSON, not an object,
    ///   a missing or non-string `text` or `label`, an empty text, or an empty label.
    public static func parseJSONL(_ text: String, file: String) throws -> [TrainingExample] {
        var examples: [TrainingExample] = []
        var lineNumber = 0
        // Split on "\n" by byte: `Character`-based splitting would glue "\r\n" into one character.
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine[...]
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == 9 {
                line = line.dropLast()
            }
            while let first = line.first, first == UInt8(ascii: " ") || first == 9 { line = line.dropFirst() }
            if line.isEmpty || line.first == UInt8(ascii: "#") || line.starts(with: "//".utf8) { continue }
            examples.append(try parseLine(Array(line), file: file, line: lineNumber))
        }
        return examples
    }

    private static func parseLine(_ bytes: [UInt8], file: String, line: Int) throws -> TrainingExample {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw TrainingExampleParseError(
                file: file, line: line, reason: "invalid JSON at column \(error.column): \(error.reason)")
        }
        guard let object = value.objectValue else {
            throw TrainingExampleParseError(
                file: file, line: line,
                reason: "expected an object {\"text\": ..., \"label\": ...}, got \(value.typeName)")
        }
        guard let text = object["text"]?.stringValue else {
            throw TrainingExampleParseError(file: file, line: line, reason: "missing string field \"text\"")
        }
        guard let rawLabel = object["label"]?.stringValue else {
            throw TrainingExampleParseError(file: file, line: line, reason: "missing string field \"label\"")
        }
        let label = rawLabel.trimmingSpaces()
        if label.isEmpty {
            throw TrainingExampleParseError(file: file, line: line, reason: "empty \"label\"")
        }
        if text.utf8.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            throw TrainingExampleParseError(file: file, line: line, reason: "empty \"text\"")
        }
        return TrainingExample(text: text, label: label)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
