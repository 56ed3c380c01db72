import Yams
import RouterCore

/// Collects every issue of one load, so validation reports all of them in one pass.
final class Diagnostics {
    private(set) var issues: [PolicyIssue] = []

    func error(_ file: String, _ mark: (any Positioned)?, _ message: String) {
        issues.append(PolicyIssue(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    var isEmpty: Bool { issues.isEmpty }
}

/// Prefix given to the second occurrence of a duplicated key, so the rest of the file can still be checked.
let duplicateKeyMarker = "__duplicate_key__"

extension Node {
    /// A short name of the node's kind for "expected X, found Y" messages.
    var kindName: String {
        switch self {
        case .scalar(let s): isNull ? "nothing" : "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    var isNull: Bool {
        if case .scalar(let s) = self, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) {
            return true
        }
        return false
    }
}
