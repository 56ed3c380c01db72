/// A policy that failed validation: every problem found, in file and line order. Nothing of it was loaded.
public struct PolicyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by file, line and column.
    public var issues: [PolicyIssue]

    /// Creates an error from issues (sorted here).
    public init(issues: [PolicyIssue]) { self.issues = issues.sorted() }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
