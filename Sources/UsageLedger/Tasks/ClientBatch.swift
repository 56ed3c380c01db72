/// A Message Batch a client created through the router's pass-through: owned by that client, known to it only by
/// the router's id.
public struct ClientBatch: Sendable, Hashable {
    /// The router's id (`msgbatch_rtr…`): what the client sees.
    public var id: String
    /// The client's name from the policy; only it may see the batch.
    public var client: String
    /// The API's `msgbatch_…` id; never shown to the client.
    public var upstreamBatchID: String
    /// Milliseconds since the epoch when the router created it: its results are priced on this day.
    public var createdMillis: Int64
    /// How many requests it holds.
    public var requestCount: Int
    /// The pass-through headers it was created with (canonical text), sent again to read it.
    public var headers: String

    /// Creates a record.
    public init(
        id: String, client: String, upstreamBatchID: String, createdMillis: Int64, requestCount: Int,
        headers: String = ""
    ) {
        self.id = id
        self.client = client
        self.upstreamBatchID = upstreamBatchID
        self.createdMillis = createdMillis
        self.requestCount = requestCount
        self.headers = headers
    }
}
