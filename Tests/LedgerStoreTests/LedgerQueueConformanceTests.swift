import Foundation
import RouterCore
import Testing
import UsageLedger

/// The write queue both ledgers share (`LedgerWriteQueue`), checked through each store: what `record`, `flush` and
/// `close` promise callers.
@Suite struct LedgerQueueConformanceTests {
    @Test(arguments: StoreKind.available)
    func aSynchronousRecordReturnsOnlyOnceItsRowIsCommittedEvenAfterWaitingForRoom(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        // A queue of one row: most of the concurrent records below wait for room before their row is queued.
        let ledger = try store.ledger(clock: TestClock(Rows.now), commitInterval: .zero, queueCapacity: 1)
        let reader = LockedReader(try store.reader())
        let ids = (0..<20).map { "sync-\($0)" }
        let uncommittedOnReturn = try await withThrowingTaskGroup(of: [String].self) { group in
            for id in ids {
                group.addTask {
                    await ledger.record(Rows.request(id: id))
                    return try reader.requestIDs().contains(id) ? [] : [id]
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(uncommittedOnReturn.isEmpty, "record returned before these rows were committed")
        #expect(ledger.pendingCount == 0)
        try await ledger.close()
        #expect(try reader.requestIDs().sorted() == ids.sorted())
    }

    @Test(arguments: StoreKind.available)
    func aRowRecordedAfterCloseIsCountedAsNotWrittenAndFlushStillReturns(_ kind: StoreKind) async throws {
        let store = try StoreFixture(kind)
        let ledger = try store.ledger(clock: TestClock(Rows.now), commitInterval: .seconds(3600))
        await ledger.record(Rows.request(id: "kept"))
        try await ledger.close()
        #expect(ledger.lastError == nil)
        await ledger.record(Rows.request(id: "late-1"))
        await ledger.record(Rows.request(id: "late-2"))
        #expect(ledger.lastError?.code == .closed)
        #expect(ledger.lastError?.message.hasPrefix("2 row(s) were recorded after the ledger") == true)
        #expect(ledger.pendingCount == 0)
        try await ledger.flush()
        try await ledger.close()
        #expect(try store.reader().usageRows(sinceMillis: nil, untilMillis: nil).map(\.requestID) == ["kept"])
    }
}

/// A report reader shared by concurrent tasks (a connection is used by one at a time).
private final class LockedReader: @unchecked Sendable {
    // Protected by `lock`.
    private let reader: any ReportReaderProtocol
    private let lock = NSLock()

    init(_ reader: any ReportReaderProtocol) { self.reader = reader }

    /// The request ids of every stored row.
    func requestIDs() throws -> [String] {
        try lock.withLock { try reader.usageRows(sinceMillis: nil, untilMillis: nil).map(\.requestID) }
    }
}
