/// Why a request was turned away before it reached the API, and when the client may try again.
///
/// The service answers it as a 429 `rate_limit_error` with a `retry-after` header; the router never sent anything
/// upstream, so a client's retry is safe.
public struct AdmissionRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// An opaque, extensible reason code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The queue of the request's priority class was full.
        public static let queueFull = Code(name: "queue_full")
        /// The estimated wait for headroom would end after the request's deadline (or the longest wait allowed).
        public static let deadlineUnreachable = Code(name: "deadline_unreachable")
        /// A short machine-readable name, e.g. for a metric label.
        public var description: String { name }
    }

    /// The reason.
    public var code: Code
    /// Seconds after which a retry is expected to find room (at least 1): derived from the bucket's refill.
    public var retryAfterSeconds: Int64
    /// The rate-limit bucket that refused.
    public var bucket: String

    /// Creates a refusal.
    public init(code: Code, retryAfterSeconds: Int64, bucket: String) {
        self.code = code
        self.retryAfterSeconds = max(1, retryAfterSeconds)
        self.bucket = bucket
    }

    /// A message fit for the client's error body; it names no secret and no other client.
    public var description: String {
        switch code {
        case .queueFull:
            "The router's queue for \(bucket) is full; retry after \(retryAfterSeconds) s."
        default:
            "The router cannot get rate-limit headroom for \(bucket) before the request's deadline; "
                + "retry after \(retryAfterSeconds) s."
        }
    }

    /// Whole seconds, rounded up, of a wait in milliseconds (at least 1).
    public static func seconds(ceilingOf millis: Int64) -> Int64 {
        max(1, (max(0, millis) + 999) / 1_000)
    }
}
