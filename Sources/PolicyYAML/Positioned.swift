import Yams

/// A line and column in a file (Yams' `Mark`, or one of ours for JSONL lines and whole files).
protocol Positioned {
    var line: Int { get }
    var column: Int { get }
}

extension Mark: Positioned {}

/// A position the loader makes itself (Yams' `Mark` has no public initialiser).
struct Loc: Positioned {
    let line: Int
    let column: Int
    init(_ line: Int, _ column: Int) {
        self.line = line
        self.column = column
    }
}
