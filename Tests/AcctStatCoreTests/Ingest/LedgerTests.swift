import Foundation
import GRDB
import Testing
@testable import AcctStatCore

@Suite struct LedgerTests {
    @Test func secondRunWithNothingNewChangesNothing() throws {
        let dir = TemporaryDirectory()
        dir.write("logs/acct-1.csv", TestLogs.header + TestLogs.records(0..<100))
        dir.write("logs/acct-0.csv.gz", TestLogs.gzip(TestLogs.header + TestLogs.records(100..<250)))
        let db = dir.file("db.sqlite")
        let first = try ingest([dir.file("logs")], database: db)
        #expect(first.records == 250)
        #expect(try storedCounts(db).byResult == ["pass": 63, "fail": 63, "none": 62, "unknown": 62])
        let second = try ingest([dir.file("logs")], database: db)
        #expect(second.records == 0)
        #expect(second.count(.upToDate) == 2)
        #expect(try storedCounts(db).total == 250)
    }

    @Test func growingFileResumesThenRotatedAndGzippedOnlyItsTailIsRead() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        dir.write("logs/acct.csv", TestLogs.header + TestLogs.records(0..<100))
        try ingest([dir.file("logs")], database: db)
        dir.append("logs/acct.csv", TestLogs.records(100..<150))
        let resumed = try ingest([dir.file("logs")], database: db)
        #expect(resumed.records == 50)
        #expect(resumed.count(.resumed) == 1)
        // PowerMTA writes a little more, the file is rotated and gzipped, and a new live file starts.
        let full = TestLogs.header + TestLogs.records(0..<180)
        try FileManager.default.removeItem(atPath: dir.file("logs/acct.csv"))
        dir.write("logs/acct.csv.1.gz", TestLogs.gzip(full))
        dir.write("logs/acct.csv", TestLogs.header + TestLogs.records(1000..<1010))
        let rotated = try ingest([dir.file("logs")], database: db)
        #expect(rotated.records == 30 + 10)
        #expect(try storedCounts(db).total == 190)
        // The finished gzip is now skipped whatever it is called.
        try FileManager.default.moveItem(atPath: dir.file("logs/acct.csv.1.gz"), toPath: dir.file("logs/acct.csv.2.gz"))
        let again = try ingest([dir.file("logs")], database: db)
        #expect(again.records == 0)
        #expect(try storedCounts(db).total == 190)
        let listing = try SQLiteStore(path: db, readOnly: true).ledger()
        #expect(listing.contains { $0.entry.path.hasSuffix("acct.csv.2.gz") && $0.entry.finished })
    }

    @Test func twoCopiesOfOneContentInOneRunCountOnce() throws {
        let dir = TemporaryDirectory()
        let text = TestLogs.header + TestLogs.records(0..<40)
        dir.write("logs/acct.csv.1", text)
        dir.write("logs/acct.csv.1.gz", TestLogs.gzip(text))
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("logs")], database: db)
        #expect(summary.records == 40)
        #expect(try storedCounts(db).total == 40)
    }

    /// Workers read on while the writer commits a file's last batches; a commit that fails then
    /// must still fail the run, and the next run must count every record exactly once.
    @Test func aFailedCommitFailsTheRunAndTheNextRunCountsEachRecordOnce() throws {
        let dir = TemporaryDirectory()
        for file in 0..<4 {
            dir.write("logs/acct-\(file).csv", TestLogs.header + TestLogs.records(file * 100..<file * 100 + 30))
        }
        let db = dir.file("db.sqlite")
        _ = try SQLiteStore(path: db)
        let other = try DatabaseQueue(path: db)
        try other.write {
            try $0.execute(sql: """
                CREATE TRIGGER refuse BEFORE INSERT ON counts WHEN (SELECT COUNT(*) FROM files) >= 2
                BEGIN SELECT RAISE(ABORT, 'refused'); END
                """)
        }
        #expect(throws: StoreError.self) { try ingest([dir.file("logs")], database: db) }
        #expect(try storedCounts(db).total < 120)
        try other.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        try other.close()
        try ingest([dir.file("logs")], database: db)
        #expect(try storedCounts(db).total == 120)
    }

    @Test func aShorterCopyOfContentReadFurtherIsUpToDate() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        dir.write("acct.csv", TestLogs.header + TestLogs.records(0..<300))
        try ingest([dir.file("acct.csv")], database: db)
        dir.write("old/acct.csv.1", TestLogs.header + TestLogs.records(0..<100))
        let summary = try ingest([dir.file("old")], database: db)
        #expect(summary.problems.isEmpty)
        #expect(summary.count(.upToDate) == 1)
        #expect(try storedCounts(db).total == 300)
    }

    @Test func truncatedGzipKeepsCompleteRecordsAndCompletesLater() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        let text = TestLogs.header + TestLogs.records(0..<2000)
        let gzip = TestLogs.gzip(text)
        dir.write("acct.csv.gz", Array(gzip.prefix(gzip.count / 2)))
        let partial = try ingest([dir.file("acct.csv.gz")], database: db)
        #expect(partial.problems.counts[.truncatedGzip] == 1)
        #expect(partial.exitStatus(strict: false) == .problems)
        let firstPart = try storedCounts(db).total
        #expect(firstPart > 0 && firstPart < 2000)
        dir.write("acct.csv.gz", gzip)
        let completed = try ingest([dir.file("acct.csv.gz")], database: db)
        #expect(completed.records == 2000 - firstPart)
        #expect(try storedCounts(db).total == 2000)
    }

    @Test func unterminatedLastLineOfAFreshPlainFileWaitsForItsEnd() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        let records = TestLogs.records(0..<3)
        dir.write("acct.csv", TestLogs.header + String(records.dropLast(20)))
        try ingest([dir.file("acct.csv")], database: db)
        #expect(try storedCounts(db).total == 2)
        dir.write("acct.csv", TestLogs.header + records)
        try ingest([dir.file("acct.csv")], database: db)
        #expect(try storedCounts(db).total == 3)
    }

    @Test func aLongerReadOfTheSameContentHasTheSameFingerprint() throws {
        let text = Array((TestLogs.header + TestLogs.records(0..<5)).utf8)
        let a = ContentFingerprint(head: text, complete: true)
        let b = ContentFingerprint(head: Array(text.prefix(400)), complete: false)
        let whole = try #require(a)
        let prefix = try #require(b)
        #expect(whole.value == prefix.value)
        #expect(whole.sameContent(asHead: prefix.head))
    }
}
