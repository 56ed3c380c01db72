import CCurl
import Synchronization

/// Easy handles kept for reuse, so a request does not pay for `curl_easy_init` and its allocations each time.
///
/// Handles are reset (`curl_easy_reset`) when taken, on the caller's thread, not when given back: the multi thread
/// gives them back and is the client's one serial resource. Until then a pooled handle may still point at its
/// last transfer's callbacks and header list, which nothing reads before the reset.
final class EasyHandlePool: Sendable {
    private struct State {
        var handles: [EasyHandle] = []
        var isClosed = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// A pooled handle (reset to libcurl's defaults), or a new one; `nil` only if libcurl cannot allocate.
    func take() -> EasyHandle? {
        if let pooled = state.withLock({ $0.handles.popLast() }) {
            curl_easy_reset(pooled.raw)
            return pooled
        }
        return curl_easy_init().map(EasyHandle.init(raw:))
    }

    /// Keeps a handle for reuse, or frees it when the pool is full or closed.
    func give(_ handle: EasyHandle) {
        let kept = state.withLock { state -> Bool in
            guard !state.isClosed, state.handles.count < capacity else { return false }
            state.handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.raw) }
    }

    /// Frees every pooled handle; later `give`s free theirs at once.
    func close() {
        let handles = state.withLock { state -> [EasyHandle] in
            state.isClosed = true
            defer { state.handles = [] }
            return state.handles
        }
        for handle in handles { curl_easy_cleanup(handle.raw) }
    }
}
