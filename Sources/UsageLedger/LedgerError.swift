import CSQLite

/// An error of the usage ledger or the task queue: what went wrong, in words that say what to do about it.
///
/// `code` is opaque and extensible (compare it with the static members); `sqliteCode` is SQLite's extended result
/// code when SQLite reported the failure. Messages never contain row contents, so no secret can leak through them.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, opaque so that new kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case newerSchema, corrupt, readOnly, diskFull, busy, cannotOpen, io, closed, invalidInput, notFound, sqlite,
                database
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The database was written by a newer claude-router: upgrade the binary, never downgrade the file.
        public static let newerSchema = Code(.newerSchema)
        /// The file is not a SQLite database or its content is damaged.
        public static let corrupt = Code(.corrupt)
        /// The file or its directory cannot be written.
        public static let readOnly = Code(.readOnly)
        /// The disk (or the database's size limit) is full: SQLITE_FULL.
        public static let diskFull = Code(.diskFull)
        /// Another process held a lock on the database for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// The file could not be opened or created (missing directory, permissions).
        public static let cannotOpen = Code(.cannotOpen)
        /// The operating system reported an I/O error.
        public static let io = Code(.io)
        /// The ledger was already closed.
        public static let closed = Code(.closed)
        /// An argument was invalid (an unknown state, a malformed date).
        public static let invalidInput = Code(.invalidInput)
        /// The requested task or batch does not exist.
        public static let notFound = Code(.notFound)
        /// Any other SQLite failure; `sqliteCode` says which.
        public static let sqlite = Code(.sqlite)
        /// A PostgreSQL server refused a statement or could not be reached (the message says which and why).
        public static let database = Code(.database)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence for humans: what happened and what to do.
    public var message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?

    /// Creates an error with a code and a message.
    public init(code: Code, message: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        if let sqliteCode { return "\(message) (\(code), SQLite code \(sqliteCode))" }
        return "\(message) (\(code))"
    }

    /// Maps a SQLite result code and message to an error whose message says what to do.
    static func sqlite(_ rc: Int32, _ detail: String, path: String, during what: String) -> LedgerError {
        let base = "\(what) failed on '\(path)': \(detail)"
        switch rc & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return LedgerError(
                code: .corrupt,
                message: base + ". The file is not a valid ledger database: restore it from a backup or move it aside"
                    + " and start a new ledger (run `sqlite3 FILE 'PRAGMA integrity_check'` to inspect it)",
                sqliteCode: rc)
        case SQLITE_READONLY:
            return LedgerError(
                code: .readOnly,
                message: base + ". The database or its directory is read-only: give the service write permission"
                    + " on both (SQLite needs to create FILE-wal and FILE-shm beside it)",
                sqliteCode: rc)
        case SQLITE_FULL:
            return LedgerError(
                code: .diskFull,
                message: base + ". The disk is full: free space; no row is dropped, the ledger retries and"
                    + " recording waits while the queue is full",
                sqliteCode: rc)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return LedgerError(
                code: .busy,
                message: base + ". Another process holds the database lock: stop it or give the ledger its own file",
                sqliteCode: rc)
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            return LedgerError(
                code: .cannotOpen,
                message: base + ". Check that the directory exists and that the service may read and write it",
                sqliteCode: rc)
        case SQLITE_IOERR:
            return LedgerError(
                code: .io, message: base + ". The operating system reported an I/O error: check the disk",
                sqliteCode: rc)
        default:
            return LedgerError(code: .sqlite, message: base, sqliteCode: rc)
        }
    }
}
