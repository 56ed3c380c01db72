import Testing

@testable import UpstreamCurl

@Suite struct BodyBufferTests {
    typealias Buffer = BodyBuffer<Int>

    @Test func chunksComeOutInTheOrderTheyWentIn() {
        var buffer = Buffer(highWaterMark: 100, lowWaterMark: 10)
        for byte: UInt8 in 1...3 { guard case .consumed = buffer.receive([byte]) else { Issue.record(); return } }
        for byte: UInt8 in 1...3 {
            guard case .chunk(let chunk, _) = buffer.next(waiter: nil) else { Issue.record(); return }
            #expect(chunk == [byte])
        }
        guard case .wait = buffer.next(waiter: nil) else { Issue.record("empty buffer must wait"); return }
    }

    @Test func aWaitingReaderGetsTheNextChunkDirectly() {
        var buffer = Buffer(highWaterMark: 100, lowWaterMark: 10)
        guard case .wait = buffer.next(waiter: 7) else { Issue.record(); return }
        guard case .deliver(let waiter, let chunk) = buffer.receive([9]) else { Issue.record(); return }
        #expect(waiter == 7)
        #expect(chunk == [9])
        #expect(buffer.bufferedBytes == 0)
    }

    @Test func pausesAtTheHighWaterMarkAndResumesBelowTheLowOne() {
        var buffer = Buffer(highWaterMark: 30, lowWaterMark: 10)
        for _ in 0..<3 { _ = buffer.receive([UInt8](repeating: 0, count: 10)) }
        guard case .pause = buffer.receive([1]) else { Issue.record("full buffer must pause"); return }
        #expect(buffer.isPaused)
        guard case .chunk(_, let resumeAfterFirst) = buffer.next(waiter: nil) else { Issue.record(); return }
        #expect(!resumeAfterFirst)  // 20 bytes left, above the low-water mark
        guard case .chunk(_, let resumeAfterSecond) = buffer.next(waiter: nil) else { Issue.record(); return }
        #expect(resumeAfterSecond)  // 10 bytes left
        #expect(!buffer.isPaused)
    }

    @Test func bufferedChunksAreReadBeforeAnErrorEnding() {
        var buffer = Buffer(highWaterMark: 100, lowWaterMark: 10)
        _ = buffer.receive([1])
        let failure = UpstreamError(code: .connectionReset, message: "reset", receivedResponse: true)
        #expect(buffer.finish(.failed(failure), discardBuffered: false) == nil)
        guard case .chunk([1], _) = buffer.next(waiter: nil) else { Issue.record(); return }
        guard case .end(let error) = buffer.next(waiter: nil) else { Issue.record(); return }
        #expect(error == failure)
        guard case .end(nil) = buffer.next(waiter: nil) else { Issue.record("the error is delivered once"); return }
    }

    @Test func cancellationDiscardsBufferedChunksAndWakesTheReader() {
        var buffer = Buffer(highWaterMark: 100, lowWaterMark: 10)
        _ = buffer.receive([1])
        let cancelled = UpstreamError(code: .cancelled, message: "cancelled")
        _ = buffer.finish(.failed(cancelled), discardBuffered: true)
        guard case .end(let error) = buffer.next(waiter: nil) else { Issue.record(); return }
        #expect(error?.code == .cancelled)

        var waiting = Buffer(highWaterMark: 100, lowWaterMark: 10)
        _ = waiting.next(waiter: 3)
        let woken = waiting.finish(.finished, discardBuffered: false)
        #expect(woken?.0 == 3)
        #expect(woken?.1 == nil)
    }

    @Test func chunksAfterTheEndAreDropped() {
        var buffer = Buffer(highWaterMark: 100, lowWaterMark: 10)
        _ = buffer.finish(.finished, discardBuffered: false)
        guard case .consumed = buffer.receive([1]) else { Issue.record(); return }
        #expect(buffer.bufferedBytes == 0)
    }
}
