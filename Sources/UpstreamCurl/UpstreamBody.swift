/// A response body as an asynchronous sequence of chunks, in the order they arrived, with backpressure.
///
/// When the reader falls behind by more than the client's `bodyHighWaterMark`, the transfer pauses (no more bytes
/// are read from the socket) until the buffer drains below `bodyLowWaterMark`. One reader at a time. Cancelling the
/// reading task, or dropping the body before its end, cancels the transfer and frees its connection slot.
public struct UpstreamBody: AsyncSequence, Sendable {
    /// A chunk of body bytes as received.
    public typealias Element = [UInt8]
    /// Reading fails only with `UpstreamError`.
    public typealias Failure = UpstreamError

    let stream: BodyStream

    init(stream: BodyStream) {
        self.stream = stream
    }

    /// An iterator over the chunks; the sequence supports one iterator at a time.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: stream)
    }

    /// Reads the whole body into one array.
    ///
    /// - Throws: `responseTooLarge` (and cancels the transfer) once more than `maxBytes` arrived, or the
    ///   transfer's error.
    public func collect(upTo maxBytes: Int) async throws(UpstreamError) -> [UInt8] {
        var iterator = makeAsyncIterator()
        var bytes: [UInt8] = []
        while let chunk = try await iterator.next() {
            guard bytes.count + chunk.count <= maxBytes else {
                stream.transfer.loop.cancel(stream.transfer)
                throw UpstreamError(
                    code: .responseTooLarge, message: "the response body exceeds \(maxBytes) bytes",
                    receivedResponse: true)
            }
            if bytes.isEmpty {
                bytes = chunk
            } else {
                bytes.append(contentsOf: chunk)
            }
        }
        return bytes
    }

    /// Iterates the chunks of an `UpstreamBody`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: BodyStream

        /// The next chunk, waiting for it to arrive; `nil` at the end of the body.
        public mutating func next() async throws(UpstreamError) -> [UInt8]? {
            try await stream.next()
        }

        /// The next chunk, waiting for it to arrive; `nil` at the end of the body.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(UpstreamError) -> [UInt8]? {
            try await stream.next()
        }
    }
}
