import Foundation
public import UsageLedger

/// Where a PostgreSQL store lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require]`
/// (`postgresql://` too). The password may also come from `PGPASSWORD`, read by the executable and passed in.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Whether to require TLS (`sslmode=require`); the default is a plain connection (loopback, a private network).
    public var requireTLS: Bool

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL.
    ///
    /// - Throws: `.invalidInput` naming what is missing (the message never repeats the password).
    public init(_ text: String, password fallback: String? = nil) throws(LedgerError) {
        guard Self.isPostgres(text), let components = URLComponents(string: text), let host = components.host,
            !host.isEmpty
        else {
            throw LedgerError(
                code: .invalidInput,
                message: "Cannot read the database URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard let user = components.user, !user.isEmpty, !database.isEmpty else {
            throw LedgerError(
                code: .invalidInput,
                message: "The database URL needs a user and a database name: postgres://USER@\(host)/DATABASE")
        }
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        guard mode == "disable" || mode == "require" || mode == "prefer" else {
            throw LedgerError(
                code: .invalidInput, message: "sslmode '\(mode)' is not supported: use disable or require")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 } ?? fallback
        self.database = database.removingPercentEncoding ?? database
        self.requireTLS = mode == "require"
    }

    /// The URL without its password, for logs and errors.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
