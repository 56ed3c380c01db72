/// One problem found in a policy, located by file, line and column.
public struct PolicyIssue: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's name relative to the policy directory, e.g. `models.yaml`.
    public var file: String
    /// 1-based line (0 when the problem concerns the whole file or directory).
    public var line: Int
    /// 1-based column (0 when unknown).
    public var column: Int
    /// What is wrong, and where possible how to fix it.
    public var message: String

    /// `file:line:col: error: message`, the format compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }

    public static func < (lhs: PolicyIssue, rhs: PolicyIssue) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.message) < (rhs.file, rhs.line, rhs.column, rhs.message)
    }
}
