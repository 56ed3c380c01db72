/// The consumer side of one response body as a pure state machine: chunks buffered between the multi thread and
/// the reader, with a high-water mark that pauses the transfer and a low-water mark that resumes it.
///
/// `Waiter` is the reader's suspended continuation; the state machine only stores it and hands it back in the
/// action the caller must perform outside the lock, so it can be tested without threads.
struct BodyBuffer<Waiter> {
    /// How a body ended.
    enum Ending {
        case finished
        case failed(UpstreamError)
    }

    /// What the multi thread does with a chunk libcurl offered.
    enum ReceiveAction {
        /// Resume the waiting reader with this chunk.
        case deliver(Waiter, [UInt8])
        /// The chunk was buffered (or discarded after the end); tell libcurl it was consumed.
        case consumed
        /// The buffer is full: return `CURL_WRITEFUNC_PAUSE`; libcurl offers the same bytes again after resuming.
        case pause
    }

    /// What the reader gets when it asks for the next chunk.
    enum NextAction {
        /// A chunk; if `resumeTransfer`, the buffer drained below the low-water mark and the transfer must resume.
        case chunk([UInt8], resumeTransfer: Bool)
        /// The body ended: `nil` for the normal end (and after any ending was already delivered), or the error.
        case end(UpstreamError?)
        /// Nothing yet: the waiter was stored and will come back in a later action.
        case wait
    }

    let highWaterMark: Int
    let lowWaterMark: Int
    private var chunks: [[UInt8]] = []
    private var readIndex = 0
    /// Bytes buffered and not yet read.
    private(set) var bufferedBytes = 0
    /// Whether libcurl was told to pause because the buffer was full.
    private(set) var isPaused = false
    private var ending: Ending?
    private var endingDelivered = false
    private var waiter: Waiter?

    /// Whether the body has ended (normally, by failure or by cancellation), read or not.
    var hasEnded: Bool { ending != nil }

    init(highWaterMark: Int, lowWaterMark: Int) {
        precondition(highWaterMark > 0 && lowWaterMark < highWaterMark, "need 0 <= low < high water mark")
        self.highWaterMark = highWaterMark
        self.lowWaterMark = max(0, lowWaterMark)
    }

    /// libcurl offers a chunk of the body.
    mutating func receive(_ chunk: [UInt8]) -> ReceiveAction {
        if ending != nil || chunk.isEmpty { return .consumed }
        if let waiter {
            // A waiter exists only while the buffer is empty, so handing over directly keeps the order.
            self.waiter = nil
            return .deliver(waiter, chunk)
        }
        if bufferedBytes >= highWaterMark {
            isPaused = true
            return .pause
        }
        chunks.append(chunk)
        bufferedBytes += chunk.count
        return .consumed
    }

    /// The reader asks for the next chunk; `waiter` is stored if nothing is ready (pass `nil` to only poll).
    mutating func next(waiter newWaiter: Waiter?) -> NextAction {
        if readIndex < chunks.count {
            let chunk = chunks[readIndex]
            chunks[readIndex] = []
            readIndex += 1
            if readIndex == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                readIndex = 0
            } else if readIndex >= 64 && readIndex * 2 >= chunks.count {
                chunks.removeFirst(readIndex)
                readIndex = 0
            }
            bufferedBytes -= chunk.count
            var resume = false
            if isPaused && bufferedBytes <= lowWaterMark {
                isPaused = false
                resume = true
            }
            return .chunk(chunk, resumeTransfer: resume)
        }
        if let ending {
            if endingDelivered { return .end(nil) }
            endingDelivered = true
            if case .failed(let error) = ending { return .end(error) }
            return .end(nil)
        }
        if let newWaiter {
            precondition(waiter == nil, "an UpstreamBody supports one reader at a time")
            waiter = newWaiter
        }
        return .wait
    }

    /// The transfer ended. Buffered chunks are still read before the ending unless `discardBuffered` (cancellation).
    /// Returns the waiting reader to resume with the ending, if one was waiting.
    mutating func finish(_ result: Ending, discardBuffered: Bool) -> (Waiter, UpstreamError?)? {
        guard ending == nil else { return nil }
        ending = result
        if discardBuffered {
            chunks.removeAll()
            readIndex = 0
            bufferedBytes = 0
        }
        guard let waiter else { return nil }
        self.waiter = nil
        endingDelivered = true
        if case .failed(let error) = result { return (waiter, error) }
        return (waiter, nil)
    }
}
