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

    /// A gzip member appended to a finished gzip (`cat more.gz >> acct.csv.gz`, which `gzip -t`
    /// accepts) is read, from the end of the last complete member, and nothing before it again.
    @Test func aMemberAppendedToAFinishedGzipIsRead() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        let path = dir.write("logs/acct.csv.gz", TestLogs.gzip(TestLogs.header + TestLogs.records(0..<100)))
        #expect(try ingest([dir.file("logs")], database: db).records == 100)
        #expect(try ingest([dir.file("logs")], database: db).count(.upToDate) == 1)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(TestLogs.gzip(TestLogs.records(100..<160))))
        try handle.close()
        let grown = try ingest([dir.file("logs")], database: db)
        #expect(grown.records == 60)
        #expect(try storedCounts(db).total == 160)
        // Finished again, at its new size: nothing more.
        let again = try ingest([dir.file("logs")], database: db)
        #expect(again.records == 0 && again.count(.upToDate) == 1)
        #expect(try storedCounts(db).total == 160)
    }

    /// One flipped bit in a gzip: records decoded from the damaged member were committed batch by
    /// batch before its CRC-32 failed; they are taken back, members before it count, the damage is a
    /// corrupt-data error naming the file and the offset, a re-run with the damaged file changes
    /// nothing, and an intact copy put back is read in full: the export equals a clean run's.
    @Test func aFlippedBitInAGzipCountsNothingOfItsMember() throws {
        let first = TestLogs.gzip(TestLogs.header + TestLogs.records(0..<300)), second = TestLogs.gzip(TestLogs.records(300..<1000))
        let intact = first + second
        let dir = TemporaryDirectory()
        let cleanDB = dir.file("clean.sqlite")
        try ingest([dir.write("clean/acct.csv.gz", intact)], database: cleanDB)
        let cleanExport = try Export.render(store: try SQLiteStore(path: cleanDB, readOnly: true), window: .everything, format: .csv,
                                            providers: try ProviderTable())
        var random = 0x2545F4914F6CDD1D as UInt64
        for trial in 0..<12 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            // Mostly the second member (the first four tries anywhere), never the last byte's neighbours alone.
            let low = trial < 4 ? 0 : first.count
            let position = low + Int((random >> 33) % UInt64(intact.count - low))
            var damaged = intact
            damaged[position] ^= 1 << UInt8((random >> 20) % 8)
            let db = dir.file("trial\(trial).sqlite")
            // Half the trials first read the file while it is still being written (no trailer yet:
            // truncated, every complete record counts), then whole: what was counted of the damaged
            // member is taken back on the second read.
            if trial % 2 == 1 { try ingest([dir.write("logs\(trial)/acct.csv.gz", Array(damaged.dropLast(8)))], database: db) }
            let path = dir.write("logs\(trial)/acct.csv.gz", damaged)
            let summary = try ingest([path], database: db)
            let store = try SQLiteStore(path: db, readOnly: true)
            let stored = try storedCounts(db).total
            if IngestRun.damage(in: path) == nil {
                // A bit of the gzip header that no check covers (the mtime, the OS): the data is intact.
                #expect(stored == 1000, "trial \(trial), byte \(position)")
            } else {
                #expect(stored == (position < first.count ? 0 : 300), "trial \(trial), byte \(position)")
                #expect(summary.problems.counts[.corruptData] == 1)
                #expect(summary.problems.samples.contains { $0.formatted.contains("acct.csv.gz") && $0.formatted.contains("decompressed byte") }, "\(summary.problems.samples.map(\.formatted))")
                // Again with the damaged file: nothing changes.
                try ingest([path], database: db)
                #expect(try storedCounts(db).total == stored)
            }
            #expect(try store.verify().agrees, "trial \(trial): the ledger's records are the stored counts")
            dir.write("logs\(trial)/acct.csv.gz", intact)
            try ingest([path], database: db)
            let export = try Export.render(store: try SQLiteStore(path: db, readOnly: true), window: .everything, format: .csv,
                                           providers: try ProviderTable())
            #expect(export == cleanExport, "trial \(trial), byte \(position): the intact copy completes the counts")
        }
    }

    /// A plain file cut below its checkpoint, then grown: a file-shrank warning, and every record
    /// ever written counted once (the cut ones were counted before the cut).
    @Test func aFileThatShrinksAndGrowsAgainLosesNothing() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        dir.write("logs/acct.csv", TestLogs.header + TestLogs.records(0..<1000))
        #expect(try ingest([dir.file("logs")], database: db).records == 1000)
        dir.write("logs/acct.csv", TestLogs.header + TestLogs.records(0..<500))
        let shrunk = try ingest([dir.file("logs")], database: db)
        #expect(shrunk.records == 0)
        #expect(shrunk.problems.counts == [.fileShrank: 1])
        #expect(shrunk.problems.samples.first?.formatted.contains("acct.csv: file-shrank: shrank to") == true)
        dir.append("logs/acct.csv", TestLogs.records(1000..<2000))
        let grown = try ingest([dir.file("logs")], database: db)
        #expect(grown.records == 1000)
        #expect(grown.problems.isEmpty)
        #expect(try storedCounts(db).total == 2000)
        // The ledger still agrees with the counts.
        let verify = try SQLiteStore(path: db, readOnly: true).verify()
        #expect(verify.agrees)
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
