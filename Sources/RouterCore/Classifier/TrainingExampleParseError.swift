/// A line of a training-example JSONL file that could not be read, named by file and 1-based line.
public struct TrainingExampleParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name or path given to `TrainingExamples.parseJSONL(_:file:)`.
    public var file: String
    /// The 1-based line number within that file.
    public var line: Int
    /// What was wrong, in words.
    public var reason: String

    /// `file:line: reason`, the form editors and compilers use, so an operator can jump to the line.
    public var description: String { "\(file):\(line): \(reason)" }
}
