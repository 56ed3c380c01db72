import ClaudeAPI
import RouterCore
public import Foundation
public import Logging

/// A log handler that writes each line as one JSON object (`claude-router serve --log-format json`):
/// `{"ts":"…Z","level":"info","label":"claude-router","msg":"access",…}` with the metadata as top-level fields
/// (a metadata key that collides with `ts`, `level`, `label` or `msg` is written as `meta.KEY`).
///
/// Integer and boolean metadata (`.stringConvertible(Int)`, …) are written as JSON numbers and booleans.
public struct JSONLogHandler: LogHandler {
    /// Metadata stored on this logger.
    public var metadata: Logger.Metadata = [:]
    /// The level below which lines are dropped.
    public var logLevel: Logger.Level
    /// Adds metadata to every line.
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for `label` at `level`; `write` gets each line with its newline (default: standard error).
    public init(
        label: String, level: Logger.Level = .info,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var object: [(key: String, value: JSONValue)] = [
            ("ts", .string(Self.timestamp())), ("level", .string(event.level.rawValue)), ("label", .string(label)),
            ("msg", .string(event.message.description)),
        ]
        for key in merged.keys.sorted() {
            let name = ["ts", "level", "label", "msg"].contains(key) ? "meta." + key : key
            object.append((name, Self.json(merged[key]!)))
        }
        write(JSONValue.object(JSONObject(object)).jsonString() + "\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let item):
            switch item {
            case let n as Int: return .number(JSONNumber(n))
            case let n as Int64: return .number(JSONNumber(n))
            case let b as Bool: return .bool(b)
            default: return .string(item.description)
            }
        case .array(let items): return .array(items.map(json))
        case .dictionary(let entries):
            return .object(JSONObject(entries.keys.sorted().map { (key: $0, value: json(entries[$0]!)) }))
        }
    }

    /// UTC time with milliseconds, RFC 3339 (`2026-12-04T17:30:00.123Z`).
    static func timestamp(_ date: Date = Date()) -> String {
        timestamp(millis: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// UTC time with milliseconds, RFC 3339, of a time in milliseconds since the epoch.
    static func timestamp(millis: Int64) -> String {
        let day = Day(epochMillis: millis)
        let (year, month, dayOfMonth) = day.components
        let dayMillis = millis - day.startMillis
        func pad(_ value: Int64, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let seconds = dayMillis / 1000
        return "\(pad(year, 4))-\(pad(month))-\(pad(dayOfMonth))T\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):"
            + "\(pad(seconds % 60)).\(pad(dayMillis % 1000, 3))Z"
    }
}
