extension CurlHTTPClient {
    /// Counters of the client since it was created.
    public struct Metrics: Sendable, Hashable {
        /// Transfers attached to the multi handle right now.
        public var activeTransfers: Int
        /// Transfers handed to the multi thread.
        public var transfersStarted: Int
        /// Transfers finished, failed or cancelled (their handles freed).
        public var transfersCompleted: Int
        /// New connections opened (`CURLINFO_NUM_CONNECTS` summed); lower than transfers means reuse.
        public var connectionsOpened: Int
    }
}
