import Synchronization

/// A counting semaphore for async code: lets a test and a server handler take turns without sleeping.
final class Signal: Sendable {
    private struct State {
        var permits = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Releases one waiter, or banks a permit for the next `wait`.
    func signal(_ count: Int = 1) {
        for _ in 0..<count {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiters.isEmpty {
                    state.permits += 1
                    return nil
                }
                return state.waiters.removeFirst()
            }
            waiter?.resume()
        }
    }

    /// Waits for a permit.
    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.permits > 0 {
                    state.permits -= 1
                    return true
                }
                state.waiters.append(waiter)
                return false
            }
            if ready { waiter.resume() }
        }
    }
}
