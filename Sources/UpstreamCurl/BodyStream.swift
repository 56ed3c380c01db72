/// The reader's hold on a response body: reading goes through it, and when the last copy of the body (and of its
/// iterators) is gone before the end, the transfer is cancelled so its handle and connection are freed.
final class BodyStream: Sendable {
    let transfer: Transfer

    init(transfer: Transfer) {
        self.transfer = transfer
    }

    deinit {
        transfer.loop.cancel(transfer)
    }

    func next() async throws(UpstreamError) -> [UInt8]? {
        try await transfer.nextChunk()
    }
}
