import CSQLite
import RouterCore

/// One connection to a SQLite database file: the project's thin wrapper over the C API.
///
/// Not thread-safe by design: each owner (the ledger's writer thread, the task queue's lock, a report reader) holds
/// its own connection and uses it from one place at a time. Prepared statements are cached by their SQL text.
final class Database {
    /// The raw `sqlite3*` handle.
    let handle: OpaquePointer
    /// The path the connection was opened with, for error messages.
    let path: String
    private var statements: [String: Statement] = [:]

    /// Opens (and with `create`, creates) the database at `path`.
    ///
    /// - Parameters:
    ///   - readOnly: open with `SQLITE_OPEN_READONLY` (reports never write).
    ///   - busyTimeoutMillis: how long a statement waits for another connection's lock before failing with `.busy`.
    init(path: String, readOnly: Bool = false, create: Bool = true, busyTimeoutMillis: Int32 = 5_000)
        throws(LedgerError)
    {
        var raw: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        if readOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE
            if create { flags |= SQLITE_OPEN_CREATE }
        }
        let rc = sqlite3_open_v2(path, &raw, flags, nil)
        guard rc == SQLITE_OK, let raw else {
            let detail = raw.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(raw)
            throw LedgerError.sqlite(rc, detail, path: path, during: "Opening the database")
        }
        self.handle = raw
        self.path = path
        sqlite3_extended_result_codes(raw, 1)
        sqlite3_busy_timeout(raw, busyTimeoutMillis)
    }

    deinit {
        for statement in statements.values { statement.finalize() }
        sqlite3_close_v2(handle)
    }

    /// True when the main database was opened read-only (including a read-write open SQLite had to downgrade).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Rows changed by the connection's last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs one or more SQL statements that return no rows of interest.
    func execute(_ sql: String) throws(LedgerError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let detail = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw error(rc, detail: detail, during: "Running SQL")
        }
    }

    /// Runs one statement that returns no rows, with `values` bound to its parameters in order (`changes` then
    /// counts the rows it changed).
    func run(_ sql: String, binding values: [SQLValue]) throws(LedgerError) {
        let statement = try prepare(sql)
        statement.bind(all: values)
        try statement.run()
    }

    /// Returns the cached prepared statement for `sql`, reset and with its bindings cleared.
    func prepare(_ sql: String) throws(LedgerError) -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error(rc, during: "Preparing a statement") }
        let statement = Statement(handle: raw, database: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    ///
    /// IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN (after the busy timeout) rather
    /// than half-way through the body.
    ///
    /// BEGIN, COMMIT and ROLLBACK are prepared once and kept like every other statement (`sqlite3_exec` would
    /// tokenize and compile their text again on every commit of the ledger's writer).
    ///
    /// - Parameters:
    ///   - accounting: when given, runs the COMMIT and adds the usage rows `usage` picks from `body`'s value to the
    ///     spend totals (`UsageAccounting`).
    func transaction<T>(
        accounting: (any UsageAccounting)? = nil, usage: (T) -> [UsageRecord] = { _ in [] },
        _ body: () throws(LedgerError) -> T
    ) throws(LedgerError) -> T {
        try prepare("BEGIN IMMEDIATE").run()
        do {
            let value = try body()
            if let accounting {
                try accounting.commit(usage(value)) { () throws(LedgerError) in try prepare("COMMIT").run() }
            } else {
                try prepare("COMMIT").run()
            }
            return value
        } catch {
            // A failed COMMIT may already have rolled back; ROLLBACK then reports "no transaction", which is fine.
            try? prepare("ROLLBACK").run()
            throw error
        }
    }

    /// Reads an integer pragma such as `user_version`.
    func pragmaInt(_ name: String) throws(LedgerError) -> Int64 {
        let statement = try prepare("PRAGMA \(name)")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }

    /// The error for result code `rc`, with SQLite's current message when `detail` is not given.
    func error(_ rc: Int32, detail: String? = nil, during what: String) -> LedgerError {
        LedgerError.sqlite(rc, detail ?? String(cString: sqlite3_errmsg(handle)), path: path, during: what)
    }
}

extension Database: SQLReader {
    /// Runs `sql` with `parameters` and reads every row with `read` (the caller holds the connection's lock).
    package func rows<T>(_ sql: String, _ parameters: [SQLValue], _ read: (any SQLRow) -> T) throws(LedgerError)
        -> [T]
    {
        let statement = try prepare(sql)
        defer { statement.reset() }
        statement.bind(all: parameters)
        var rows: [T] = []
        while try statement.step() { rows.append(read(StatementRow(statement: statement))) }
        return rows
    }
}
