import Foundation
import Testing
@testable import AcctStatCore

/// The ledger's check-and-claim is part of the transaction that commits the data, so two
/// ingests that read the same file at once (their lock bypassed) can never both count it.
@Suite struct LedgerClaimTests {
    /// A store whose first commit first lets a whole other ingest of the same logs run.
    final class RacedStore: DelegatingStore, @unchecked Sendable {
        let rival: () throws -> Void
        private var raced = false
        init(_ inner: SQLiteStore, rival: @escaping () throws -> Void) {
            self.rival = rival
            super.init(inner)
        }
        override func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
            if !raced {
                raced = true
                try rival()
            }
            try super.commit(batch, entry: &entry, names: names, now: now)
        }
    }

    @Test(arguments: [false, true])
    func aRivalThatReadTheFileFirstWinsAndNothingCountsTwice(resuming: Bool) throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        dir.write("logs/acct.csv", TestLogs.header + TestLogs.records(0..<50))
        if resuming {
            try ingest([dir.file("logs")], database: db)
            dir.append("logs/acct.csv", TestLogs.records(50..<120))
        }
        let store = RacedStore(try SQLiteStore(path: db, mta: "mta1")) {
            try ingest([dir.file("logs")], database: db)
        }
        var options = IngestOptions(paths: [dir.file("logs")])
        options.batchRecords = 7
        #expect {
            try IngestRun(options: options, store: store).run()
        } throws: { error in
            (error as? StoreError)?.kind == .busy && "\(error)".contains("another ingest")
        }
        #expect(try storedCounts(db).total == (resuming ? 120 : 50))
        // The next run finds nothing left to read.
        #expect(try ingest([dir.file("logs")], database: db).records == 0)
        #expect(try storedCounts(db).total == (resuming ? 120 : 50))
    }
}
