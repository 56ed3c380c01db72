import NIOCore
import Logging
import HTTPTypes
import ClaudeAPI
public import RouterCore

/// One lane's state at an instant: what `/metrics` reports per rate-limit bucket.
public struct LaneSnapshot: Sendable, Hashable {
    /// The rate-limit bucket's name.
    public var bucket: String
    /// What the bucket has left.
    public var headroom: Headroom
    /// Interactive requests waiting.
    public var interactiveDepth: Int
    /// Background requests waiting.
    public var backgroundDepth: Int
}
