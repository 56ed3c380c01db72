import Foundation
import Testing

@testable import UsageLedger

@Suite struct OpenErrorTests {
    @Test func aNewerSchemaIsRefusedAndLeftUntouched() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Ledger.test(path).close()
        try Database(path: path).execute("PRAGMA user_version = 99")

        #expect { try Ledger.test(path) } throws: { ($0 as? LedgerError)?.code == .newerSchema }
        #expect { try ReportReader(path: path) } throws: { ($0 as? LedgerError)?.code == .newerSchema }
        #expect(try Database(path: path).pragmaInt("user_version") == 99)
    }

    @Test func aFileThatIsNotADatabaseIsCorrupt() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        var random = SeededGenerator(state: 1)
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &random) })
        try garbage.write(to: URL(fileURLWithPath: path))

        #expect { try Ledger.test(path) } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .corrupt && error.message.contains("backup")
        }
        #expect { try ReportReader(path: path) } throws: { ($0 as? LedgerError)?.code == .corrupt }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func aReadOnlyDatabaseIsRefusedForWriting() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Ledger.test(path).close()
        // A read-only open, as SQLite falls back to for a file the process may not write.
        #expect { try Ledger.test("file:\(path)?mode=ro") } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .readOnly && error.message.contains("write permission")
        }
        if getuid() != 0 {  // root may write anything: the permission case only runs as a normal user
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            #expect { try Ledger.test(path) } throws: { ($0 as? LedgerError)?.code == .readOnly }
        }
        // Reports only read, so they still work.
        #expect(try ReportReader(path: path).run(ReportQuery()).rows.isEmpty)
    }

    @Test func aMissingFileGivesAClearErrorToReports() {
        let directory = TemporaryDirectory()
        #expect { try ReportReader(path: directory.path("absent.sqlite")) } throws: {
            ($0 as? LedgerError)?.code == .cannotOpen
        }
    }

    @Test func migrationsBringANewFileToTheCurrentVersion() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ledger.sqlite")
        try await Ledger.test(path).close()
        let database = try Database(path: path)
        #expect(try database.pragmaInt("user_version") == Schema.currentVersion)
        let statement = try database.prepare("PRAGMA journal_mode")
        _ = try statement.step()
        #expect(statement.text(0) == "wal")
    }
}
