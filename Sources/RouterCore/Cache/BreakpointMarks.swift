/// The breakpoints a request went upstream with, block position → TTL: the client's and the plan's.
///
/// At most a handful per request, read once per boundary: a short array searched in order costs less than a
/// dictionary's allocation and hashing.
struct BreakpointMarks: Sendable {
    private var marks: [(position: Int, ttl: CacheTTL)] = []

    /// No breakpoints.
    init() {}

    /// The breakpoints of a dictionary.
    init(_ marked: [Int: CacheTTL]) {
        for (position, ttl) in marked { self[position] = ttl }
    }

    /// The TTL of the breakpoint at `position`, or nil; setting replaces it.
    subscript(position: Int) -> CacheTTL? {
        get {
            for mark in marks where mark.position == position { return mark.ttl }
            return nil
        }
        set {
            if let index = marks.firstIndex(where: { $0.position == position }) {
                if let newValue { marks[index].ttl = newValue } else { marks.remove(at: index) }
            } else if let newValue {
                marks.append((position, newValue))
            }
        }
    }
}
