import CCurl
import Synchronization

/// libcurl URL handles (`CURLU`), parsed once per distinct URL and handed to every transfer to that URL with
/// `CURLOPT_CURLU`, so a request to the same endpoint does not parse its URL again.
///
/// With `CURLOPT_URL` libcurl parses the string (RFC 3986, scheme, host, port, path) at the start of every
/// transfer, and `curl_easy_reset` (done when a pooled handle is taken) forgets it. With `CURLOPT_CURLU` it
/// reads the parsed handle read-only (it copies the handle for the transfer and renders the URL string from it,
/// but skips the parse). The router sends almost every request to one or two URLs, so `capacity` entries are
/// plenty; past it, requests fall back to `CURLOPT_URL`.
///
/// Handles live until `close()`, which the multi loop calls once the multi handle is gone (no transfer can still
/// read them); `handle(for:)` then answers nil.
final class ParsedURLCache: Sendable {
    /// A `CURLU *`; only libcurl reads it, and only read-only, so it may be shared between threads.
    struct Handle: @unchecked Sendable {
        let raw: OpaquePointer
    }

    private struct State {
        var handles: [String: Handle] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The parsed handle for `url`, parsing it on first use; nil when the URL does not parse (the caller then uses
    /// `CURLOPT_URL`, so libcurl reports the error exactly as before), when the cache is full, or after `close()`.
    func handle(for url: String) -> Handle? {
        let cached = state.withLock { state -> (hit: Handle?, mayAdd: Bool) in
            guard !state.isClosed else { return (nil, false) }
            if let hit = state.handles[url] { return (hit, false) }
            return (nil, state.handles.count < capacity)
        }
        if let hit = cached.hit { return hit }
        guard cached.mayAdd, let parsed = Self.parse(url) else { return nil }
        let kept = state.withLock { state -> (Handle?, discard: Bool) in
            guard !state.isClosed else { return (nil, true) }
            // Another thread may have parsed the same URL meanwhile: keep the first.
            if let existing = state.handles[url] { return (existing, true) }
            guard state.handles.count < capacity else { return (nil, true) }
            state.handles[url] = parsed
            return (parsed, false)
        }
        if kept.discard { curl_url_cleanup(parsed.raw) }
        return kept.0
    }

    /// Frees every handle; later look-ups answer nil.
    func close() {
        let handles = state.withLock { state -> [Handle] in
            state.isClosed = true
            defer { state.handles = [:] }
            return Array(state.handles.values)
        }
        for handle in handles { curl_url_cleanup(handle.raw) }
    }

    /// Parses with the flags libcurl itself uses for `CURLOPT_URL` (a scheme guessed when missing, any scheme
    /// accepted here: `RequestValidation` and `CURLOPT_PROTOCOLS_STR` restrict it to http and https).
    private static func parse(_ url: String) -> Handle? {
        guard let raw = curl_url() else { return nil }
        let flags = UInt32(CURLU_GUESS_SCHEME) | UInt32(CURLU_NON_SUPPORT_SCHEME)
        guard curl_url_set(raw, CURLUPART_URL, url, flags) == CURLUE_OK else {
            curl_url_cleanup(raw)
            return nil
        }
        return Handle(raw: raw)
    }
}
