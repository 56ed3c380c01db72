import Logging

/// `StreamLogHandler`'s output, but metadata is only formatted when a line is actually written.
///
/// Why: Hummingbird sets a request-id metadata item on every request's logger, and `StreamLogHandler` re-renders
/// all of its metadata on every such set, whether or not anything is logged: about 2 % of the router's CPU per
/// request in the overhead profile. Here a set only stores the value; a line that passes the level check merges
/// the stored metadata with its own and formats it once, in the same format as `StreamLogHandler`.
struct DeferredMetadataLogHandler: LogHandler {
    private var inner: StreamLogHandler
    /// Metadata stored on this logger; rendered per written line.
    var metadata: Logger.Metadata = [:]

    init(label: String, level: Logger.Level) {
        inner = StreamLogHandler.standardError(label: label)
        inner.logLevel = level
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        inner.log(event: event)
    }
}
