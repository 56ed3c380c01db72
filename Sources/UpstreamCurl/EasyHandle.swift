import CCurl

/// A libcurl easy handle (`CURL *`), owned by one party at a time: the pool, a caller configuring a transfer, or
/// the multi thread running it.
///
/// `@unchecked Sendable` because ownership moves between threads by hand-off (a Mutex or the loop's inbox), never
/// by sharing: no two threads use the same handle at once.
struct EasyHandle: @unchecked Sendable, Hashable {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
}
