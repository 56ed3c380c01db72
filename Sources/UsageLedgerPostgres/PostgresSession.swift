import Foundation
import Logging
import PostgresNIO
import RouterCore
import UsageLedger

/// A whole column of many rows bound as one array parameter (`INSERT … SELECT * FROM unnest($1, $2, …)`).
enum SQLArray: Sendable {
    /// A `bigint[]`.
    case integers([Int64])
    /// A `text[]` whose elements may be NULL.
    case texts([String?])
}

/// One row of a result, read by column position.
struct ResultRow: SQLRow {
    let row: PostgresRandomAccessRow

    func text(_ index: Int) -> String { (try? row[index].decode(String.self)) ?? "" }
    func optionalText(_ index: Int) -> String? { (try? row[index].decode(String?.self)) ?? nil }
    func int64(_ index: Int) -> Int64 { optionalInt64(index) ?? 0 }
    func optionalInt64(_ index: Int) -> Int64? {
        let cell = row[index]
        guard cell.bytes != nil else { return nil }
        if let value = try? cell.decode(Int64.self) { return value }
        if let value = try? cell.decode(Int32.self) { return Int64(value) }
        if let text = try? cell.decode(String.self) { return Int64(text) }
        return nil
    }
    func bool(_ index: Int) -> Bool { (try? row[index].decode(Bool.self)) ?? false }
}

/// One connection to PostgreSQL, used synchronously: every call blocks the calling thread until the server answers.
///
/// Call it only from threads of its own (the ledger's writer thread, the task store's queue), never from Swift's
/// cooperative pool or a NIO event loop. A recursive lock serialises callers, so `transaction` holds the connection
/// for its whole body. A connection that broke is replaced by a new one at the next call.
final class PostgresSession: @unchecked Sendable {
    // `lock` protects `connection` and `nextID`.
    private let lock = NSRecursiveLock()
    private var connection: PostgresConnection?
    private var nextID = 1
    private var inTransaction = false
    let url: PostgresURL
    let logger: Logger
    private let tls: NIOSSLContext?

    /// Connects to `url`.
    ///
    /// - Throws: `.database` when the server cannot be reached or refuses the login; the message says which.
    init(url: PostgresURL, logger: Logger = Logger(label: "claude-router.postgres")) throws(LedgerError) {
        self.url = url
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        self.logger = quiet
        if url.requireTLS {
            do {
                tls = try NIOSSLContext(configuration: .makeClientConfiguration())
            } catch {
                throw LedgerError(code: .database, message: "Cannot set up TLS for \(url): \(error)")
            }
        } else {
            tls = nil
        }
        lock.lock()
        defer { lock.unlock() }
        _ = try connected()
    }

    deinit {
        try? connection?.close().wait()
    }

    /// Closes the connection (a later call opens a new one).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        try? connection?.close().wait()
        connection = nil
    }

    private func connected() throws(LedgerError) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: tls.map { .require($0) } ?? .disable)
        configuration.options.connectTimeout = .seconds(10)
        let id = nextID
        nextID += 1
        do {
            let made = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id,
                logger: logger
            ).wait()
            connection = made
            return made
        } catch {
            throw Self.error(error, during: "Connecting to \(url)")
        }
    }

    /// Runs one statement (`$1`… parameters, or `?` placeholders numbered in order) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue] = []) throws(LedgerError) -> [ResultRow] {
        try run(sql, parameters).rows.map { ResultRow(row: $0.makeRandomAccess()) }
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue] = []) throws(LedgerError) -> Int {
        try run(sql, parameters).metadata.rows ?? 0
    }

    /// Runs one statement whose parameters are whole columns (arrays) and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, arrays: [SQLArray]) throws(LedgerError) -> Int {
        var bindings = PostgresBindings(capacity: arrays.count)
        for array in arrays {
            switch array {
            case .integers(let values): bindings.append(values)
            case .texts(let values): bindings.append(NullableTextArray(values))
            }
        }
        return try run(sql, bindings).metadata.rows ?? 0
    }

    private func run(_ sql: String, _ parameters: [SQLValue]) throws(LedgerError) -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .text(let text): bindings.append(text)
            case .integer(let int): bindings.append(int)
            case .null: bindings.appendNull()
            }
        }
        return try run(sql, bindings)
    }

    private func run(_ sql: String, _ bindings: PostgresBindings) throws(LedgerError) -> PostgresQueryResult {
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings)
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            if connection.isClosed { self.connection = nil }
            throw Self.error(error, during: "A statement on \(url)")
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// - Parameters:
    ///   - accounting: when given, runs the COMMIT and adds the usage rows `usage` picks from `body`'s value to the
    ///     spend totals (`UsageAccounting`).
    func transaction<T>(
        accounting: (any UsageAccounting)? = nil, usage: (T) -> [UsageRecord] = { _ in [] },
        _ body: () throws(LedgerError) -> T
    ) throws(LedgerError) -> T {
        lock.lock()
        defer { lock.unlock() }
        precondition(!inTransaction, "transactions do not nest")
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let value = try body()
            if let accounting {
                try accounting.commit(usage(value)) { () throws(LedgerError) in try execute("COMMIT") }
            } else {
                try execute("COMMIT")
            }
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Turns `?` placeholders into `$1`, `$2` … (statements are shared with SQLite; none has a `?` in a literal).
    static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var result = ""
        result.reserveCapacity(sql.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A PostgreSQL or connection error as a `LedgerError` whose message says what failed and why.
    static func error(_ error: any Error, during what: String) -> LedgerError {
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                let state = info[.sqlState] ?? "?"
                let message = info[.message] ?? "server error"
                let code: LedgerError.Code = state == "23505" ? .invalidInput : .database
                return LedgerError(code: code, message: "\(what) failed: \(message) (SQLSTATE \(state))")
            }
            return LedgerError(
                code: .database,
                message: "\(what) failed: \(psql.code) (is the server running and the URL right?)")
        }
        return LedgerError(code: .database, message: "\(what) failed: \(error)")
    }
}

extension PostgresSession: SQLReader {
    /// Runs `sql` with `parameters` and reads every row with `read`.
    package func rows<T>(_ sql: String, _ parameters: [SQLValue], _ read: (any SQLRow) -> T) throws(LedgerError)
        -> [T]
    {
        try query(sql, parameters).map { read($0) }
    }
}

/// A one-dimensional `text[]` whose elements may be NULL, in PostgreSQL's binary array format (postgres-nio encodes
/// arrays of non-optional elements only).
struct NullableTextArray: PostgresNonThrowingEncodable {
    static var psqlType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    let values: [String?]

    init(_ values: [String?]) { self.values = values }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        // Dimensions (0 for an empty array), whether any element is NULL, the element type.
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(values.contains(nil) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(PostgresDataType.text.rawValue)
        guard !values.isEmpty else { return }
        // The one dimension's length and lower bound, then each element as a length (-1: NULL) and its bytes.
        buffer.writeInteger(Int32(values.count), as: Int32.self)
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            guard let value else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let written = buffer.writeString(value)
            buffer.setInteger(Int32(written), at: lengthIndex, as: Int32.self)
        }
    }
}
