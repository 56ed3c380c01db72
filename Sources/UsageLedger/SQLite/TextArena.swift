/// The text parameters of one statement run, gathered in one reusable buffer and bound without copies.
///
/// `sqlite3_bind_text` with `SQLITE_TRANSIENT` copies every string (a malloc, a memcpy and a free each); the
/// ledger binds about fifteen per row. Here the strings are appended to one buffer that stays pinned while the
/// statement runs, and bound with `SQLITE_STATIC`, which SQLite may use until the statement is reset: `run`
/// resets it before the buffer is released.
struct TextArena {
    /// Starts with one byte so the base address is never nil and an empty string binds as '' (not NULL).
    private var bytes: [UInt8] = [0]
    private var spans: [(index: Int32, offset: Int, count: Int)] = []

    init() {
        bytes.reserveCapacity(1_024)
        spans.reserveCapacity(32)
    }

    /// Forgets the previous run's strings, keeping the storage.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(0)
        spans.removeAll(keepingCapacity: true)
    }

    /// Gathers `text` for parameter `index` (1-based).
    mutating func add(_ text: String, at index: Int32) {
        let offset = bytes.count
        bytes.append(contentsOf: text.utf8)
        spans.append((index, offset, bytes.count - offset))
    }

    /// Binds the gathered strings to `statement` (its other parameters already bound) and runs it once.
    func run(_ statement: Statement) throws(LedgerError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(LedgerError) -> Void in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            for span in spans {
                statement.bindStatic(text: base + span.offset, count: span.count, at: span.index)
            }
            try statement.run()
        }
    }
}
