import CSQLite

/// A prepared statement: bind parameters by 1-based index, step through rows, read columns by 0-based index.
///
/// Owned and cached by its `Database`; valid as long as the database is.
final class Statement {
    let handle: OpaquePointer
    private unowned let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    func finalize() { sqlite3_finalize(handle) }

    /// Resets the statement so it can run again and clears its bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ value: Int, at index: Int32) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ value: Bool, at index: Int32) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }
    func bind(_ value: String, at index: Int32) {
        // Native strings expose their UTF-8 in place: pass it with its length (no C-string copy, no strlen).
        let bound = value.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            // An empty buffer has no base address, and a nil pointer would bind NULL: fall back for "".
            guard let base = bytes.baseAddress else { return false }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                _ = sqlite3_bind_text(handle, index, $0, Int32(bytes.count), csqlite_transient())
            }
            return true
        }
        if bound != true { sqlite3_bind_text(handle, index, value, -1, csqlite_transient()) }
    }
    /// Binds UTF-8 bytes that stay valid until the statement is reset (`SQLITE_STATIC`: no copy).
    func bindStatic(text: UnsafeRawPointer, count: Int, at index: Int32) {
        // A nil destructor is SQLITE_STATIC.
        sqlite3_bind_text(handle, index, text.assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }
    func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(handle, index) }
    }
    func bind(_ value: Int64?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds `values` to parameters 1…n in order.
    func bind(all values: [SQLValue]) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let int): bind(int, at: index)
            case .text(let text): bind(text, at: index)
            }
        }
    }

    /// Advances to the next row: true when a row is available, false when the statement is done.
    @discardableResult
    func step() throws(LedgerError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(rc, during: "Running a statement")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs a statement that returns no rows, then resets it.
    func run() throws(LedgerError) {
        defer { reset() }
        try step()
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
}

/// The current row of a statement that `step()` returned true for.
struct StatementRow: SQLRow {
    let statement: Statement

    func text(_ column: Int) -> String { statement.text(Int32(column)) }
    func optionalText(_ column: Int) -> String? { statement.optionalText(Int32(column)) }
    func int64(_ column: Int) -> Int64 { statement.int64(Int32(column)) }
    func optionalInt64(_ column: Int) -> Int64? { statement.optionalInt64(Int32(column)) }
}
