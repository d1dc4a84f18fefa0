import Foundation
import Testing
@testable import AcctStatCore

/// Every kind of bad input gets a clear problem with its place, and the good file still counts exactly.
@Suite struct BadInputTests {
    static let good = TestLogs.header + TestLogs.records(0..<50)

    func run(_ name: String, _ bytes: [UInt8]) throws -> (IngestRun.Summary, Int64) {
        let dir = TemporaryDirectory()
        dir.write("logs/good.csv", Self.good)
        dir.write("logs/" + name, bytes)
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("logs")], database: db)
        return (summary, try storedCounts(db).total)
    }

    @Test func binaryGarbageNamedLikeAccounting() throws {
        let (summary, total) = try run("acct-9.csv", (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        #expect(total == 50)
        #expect(summary.problems.counts == [.notAccounting: 1])
        #expect(summary.problems.samples.first?.formatted.contains("acct-9.csv: not-accounting: not an accounting file: binary data") == true)
        #expect(summary.exitStatus(strict: false) == .problems)
    }

    @Test func otherFilesAreSkippedQuietly() throws {
        let (summary, total) = try run("pmta.log", Array("2026-11-20 started\n".utf8))
        #expect(total == 50)
        #expect(summary.problems.isEmpty)
        #expect(summary.count(.skipped) == 1)
        #expect(summary.exitStatus(strict: true) == .clean)
    }

    @Test func corruptGzip() throws {
        var gzip = TestLogs.gzip(TestLogs.header + TestLogs.records(0..<3000))
        for index in stride(from: gzip.count / 2, to: gzip.count / 2 + 64, by: 1) { gzip[index] ^= 0x5a }
        let (summary, total) = try run("acct-2.csv.gz", gzip)
        #expect(summary.problems.counts[.corruptData] == 1)
        // One member, damaged in its middle: none of its records counts (its CRC never verified); the other file's do.
        #expect(total == 50)
        #expect(summary.exitStatus(strict: false) == .problems)
    }

    /// Rotated, then compressed with a flipped bit: what was read from the plain text stays counted
    /// (it was intact when it was read); nothing of the damaged member beyond it counts.
    @Test func aDamagedCompressedCopyKeepsWhatWasReadAsText() throws {
        let dir = TemporaryDirectory()
        let plain = dir.write("logs/acct.csv", Self.good)
        let db = dir.file("db.sqlite")
        #expect(try ingest([dir.file("logs")], database: db).records == 50)
        var gzip = TestLogs.gzip(TestLogs.header + TestLogs.records(0..<3000))
        for index in stride(from: gzip.count / 2, to: gzip.count / 2 + 64, by: 1) { gzip[index] ^= 0x5a }
        try FileManager.default.removeItem(atPath: plain)
        dir.write("logs/acct.csv.1.gz", gzip)
        let rotated = try ingest([dir.file("logs")], database: db)
        #expect(try storedCounts(db).total == 50)
        #expect(rotated.records == 0)
        #expect(rotated.problems.counts == [.corruptData: 1])
        let message = rotated.problems.samples.first?.formatted ?? ""
        #expect(message.contains("acct.csv.1.gz:52: corrupt-data:"), "\(message)")
        #expect(message.contains("after decompressed byte \(Self.good.utf8.count) counts nothing"), "\(message)")
    }

    /// The empty file logrotate's `create` leaves is waiting for PowerMTA's header: no problem, exit 0.
    @Test func anEmptyFileIsWaitingNotAProblem() throws {
        let (empty, emptyTotal) = try run("acct-empty.csv", [])
        #expect(emptyTotal == 50)
        #expect(empty.problems.isEmpty)
        #expect(empty.exitStatus(strict: true) == .clean)
        #expect(empty.files.contains { $0.path.hasSuffix("acct-empty.csv") && $0.action == .waiting })
        // Empty gzip data is not what logrotate leaves: still a problem.
        let (gzip, _) = try run("acct-empty.csv.gz", TestLogs.gzip(""))
        #expect(gzip.problems.counts == [.notAccounting: 1])
    }

    /// A freshly rotated file is only a header for a while: waiting, not a problem. Once it has
    /// not changed for the quiet period, a header-only file is a warning (nothing was lost).
    @Test func headerOnlyFileWaitsThenWarns() throws {
        let dir = TemporaryDirectory()
        dir.write("logs/good.csv", Self.good)
        let path = dir.write("logs/acct-h.csv", TestLogs.header)
        let db = dir.file("db.sqlite")
        let fresh = try ingest([dir.file("logs")], database: db)
        #expect(fresh.problems.isEmpty)
        #expect(fresh.files.first { $0.path == path }?.action == .waiting)
        #expect(fresh.exitStatus(strict: true) == .clean)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
        let settled = try ingest([dir.file("logs")], database: db)
        #expect(settled.problems.counts == [.noRecords: 1])
        #expect(settled.exitStatus(strict: false) == .clean)
        #expect(settled.exitStatus(strict: true) == .problems)
        #expect(try storedCounts(db).total == 50)
    }

    @Test func tenMegabyteFieldCostsOneRecord() throws {
        let huge = String(repeating: "x", count: 10 << 20)
        let text = TestLogs.header + TestLogs.records(0..<5) + "b,2026-11-20 00:00:00+0000,a@b.c,u@d.test,5.0.0,\(huge),v,j,\n"
            + TestLogs.records(5..<10)
        let (summary, total) = try run("acct-big.csv", Array(text.utf8))
        #expect(total == 60)
        #expect(summary.problems.counts == [.recordTooLong: 1])
        #expect(summary.problems.samples[0].line == 7)
    }

    @Test func unterminatedQuote() throws {
        let after = (0..<5).map { "d,2026-11-20 01:00:0\($0)+0000,a@b.c,u\($0)@d.test,2.0.0,ok,v,j,pass\n" }.joined()
        let text = TestLogs.header + TestLogs.records(0..<5) + "b,2026-11-20 00:00:00+0000,a@b.c,u@d.test,5.0.0,\"smtp;550 oops,v,j,\n"
            + after
        let dir = TemporaryDirectory()
        dir.write("logs/good.csv", Self.good)
        let path = dir.write("logs/acct-q.csv", text)
        let db = dir.file("db.sqlite")
        // While the file may still grow, the open quote may still close: nothing after it is read yet.
        let fresh = try ingest([dir.file("logs")], database: db)
        #expect(fresh.problems.isEmpty)
        #expect(try storedCounts(db).total == 55)
        // Once the file has settled, the quote is known to be broken: one record is lost, not the rest.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
        let settled = try ingest([dir.file("logs")], database: db)
        #expect(try storedCounts(db).total == 60)
        #expect(settled.problems.counts == [.unterminatedQuote: 1])
        #expect(settled.problems.samples[0].line == 7)
    }

    @Test func invalidUTF8InAKeptField() throws {
        let text: [UInt8] = Array((TestLogs.header + TestLogs.records(0..<5)).utf8)
            + Array("d,2026-11-20 00:00:00+0000,a@b.c,u@d".utf8) + [0xff, 0xfe] + Array(".test,2.0.0,ok,v,j,pass\n".utf8)
        let (summary, total) = try run("acct-u.csv", text)
        #expect(total == 56)
        #expect(summary.problems.counts == [.invalidUTF8: 1])
    }

    /// One worker decodes a value once for all its files; a value's problem is still reported in
    /// every file (and line) that has it, not only in the first.
    @Test func aProblemValueSeenInTwoFilesOfOneWorkerIsReportedInBoth() throws {
        let bad = "d,2026-11-20 00:00:00+0000,a@b.c,u@d.test,2.0.0,ok,v,j,dkim=softfail\n"
        let dir = TemporaryDirectory()
        let first = dir.write("logs/acct-1.csv", TestLogs.header + TestLogs.records(0..<3) + bad)
        let second = dir.write("logs/acct-2.csv", TestLogs.header + bad)
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("logs")], database: db) { $0.workers = 1 }
        #expect(summary.records == 5)
        #expect(summary.problems.counts == [.badDKIMValue: 2])
        #expect(summary.problems.samples.map { "\($0.path):\($0.line ?? 0)" } == ["\(first):5", "\(second):2"])
        #expect(try storedCounts(db).byResult == ["pass": 1, "fail": 1, "none": 1, "unknown": 2])
    }

    @Test func repeatedHeaderRemapsColumns() throws {
        let text = TestLogs.header + TestLogs.records(0..<5)
            + "type,rcpt,timeLogged,dkim\n" + "d,x@swapped.test,2026-11-20 00:00:00+0000,fail (signature expired)\n"
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.write("acct.csv", text)], database: db)
        #expect(summary.records == 6)
        #expect(summary.problems.counts == [.repeatedHeader: 1])
        #expect(summary.exitStatus(strict: false) == .clean)
        #expect(summary.exitStatus(strict: true) == .problems)
        let rows = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT rcpt_domain, result, cause FROM counts_named WHERE rcpt_domain = 'swapped.test'", arguments: []).rows
        #expect(rows == [[.text("swapped.test"), .text("fail"), .text("expired")]])
    }

    @Test func rowProblemsAreCountedWithTheirLines() throws {
        let text = TestLogs.header
            + "d,not a time,a@b.c,u@d.test,2.0.0,ok,v,j,pass\n"         // line 2: bad time
            + "zz,2026-11-20 00:00:00+0000,a@b.c,u@d.test,2.0.0,ok,v,j,pass\n"  // line 3: unknown type
            + "d,2026-11-20 00:00:00+0000,a@b.c,u@d.test\n"              // line 4: short row (counted)
            + "d,2026-11-20 00:00:00+0000,a@b.c,u@d.test,2.0.0,ok,v,j,pass,extra\n"  // line 5: long row (counted)
            + "d,2026-11-20 00:00:00+0000,a@b.c,,2.0.0,ok,v,j,dkim=softfail\n"  // line 6: no rcpt, unreadable dkim (counted)
        let dir = TemporaryDirectory()
        let summary = try ingest([dir.write("acct.csv", text)], database: dir.file("db.sqlite"))
        #expect(summary.records == 3)
        #expect(summary.problems.counts == [.badTime: 1, .unknownType: 1, .shortRow: 1, .longRow: 1,
                                            .missingRecipient: 1, .badDKIMValue: 1])
        #expect(summary.problems.samples.map(\.line) == [2, 3, 4, 5, 6, 6])
    }

    @Test func unreadableNamedPathIsAProblemNotACrash() throws {
        let dir = TemporaryDirectory()
        dir.write("good.csv", Self.good)
        let summary = try ingest([dir.file("missing.csv"), dir.file("good.csv")], database: dir.file("db.sqlite"))
        #expect(summary.records == 50)
        #expect(summary.problems.counts == [.unreadableFile: 1])
    }
}

/// The summary names each file that had problems, and its samples come from all of them.
@Suite struct ProblemSummaryTests {
    @Test func everyBrokenFileIsNamedAndSampled() throws {
        let dir = TemporaryDirectory()
        let truncated = TestLogs.gzip(TestLogs.header + TestLogs.records(0..<3000))
        dir.write("logs/acct-1-truncated.csv.gz", Array(truncated.prefix(truncated.count / 2)))
        var corrupt = TestLogs.gzip(TestLogs.header + TestLogs.records(5000..<8000))
        for index in stride(from: corrupt.count / 2, to: corrupt.count / 2 + 64, by: 1) { corrupt[index] ^= 0x5a }
        dir.write("logs/acct-2-corrupt.csv.gz", corrupt)
        // Forty bad time stamps in one file: they must not crowd out the others' samples.
        dir.write("logs/acct-3-times.csv", TestLogs.header + (0..<40).map { "d,yesterday \($0),bounce@example.com,u\($0)@b.test,,,vmta1,job1,pass\n" }.joined())
        dir.write("logs/acct-4-good.csv", TestLogs.header + TestLogs.records(9000..<9010))
        dir.write("logs/acct-5-notes.csv", "just some notes\n")
        let summary = try ingest([dir.file("logs")], database: dir.file("db.sqlite"))
        let text = summary.text(database: "db.sqlite", seconds: 0)
        // One line per troubled file, with its counts by kind.
        let lines = text.split(separator: "\n")
        for (name, kind) in [("acct-1-truncated.csv.gz: ", "1 truncated-gzip"), ("acct-2-corrupt.csv.gz: ", "1 corrupt-data"),
                             ("acct-3-times.csv: ", "40 bad-time"), ("acct-5-notes.csv: ", "1 not-accounting")] {
            #expect(lines.contains { $0.contains(name) && $0.contains(kind) }, "\(name)\(kind) in:\n\(text)")
        }
        #expect(!text.contains("acct-4-good.csv"))
        #expect(text.contains("1 not accounting data"))
        // Samples from every troubled file, not twenty from the one with the most.
        let samples = text.split(separator: "\n").filter { $0.hasPrefix("  /") && $0.split(separator: ":").count > 2 }
        for name in ["acct-1-truncated", "acct-2-corrupt", "acct-3-times", "acct-5-notes"] {
            #expect(samples.contains { $0.contains(name) }, "a sample of \(name) in:\n\(text)")
        }
    }

    /// A file named like accounting that is not is listed by `files --problems`, once however many runs meet it.
    @Test func aNonAccountingFileIsInTheLedgerOnce() throws {
        let dir = TemporaryDirectory()
        dir.write("logs/acct-notes.csv", "just some notes\n")
        dir.write("logs/acct-good.csv", TestLogs.header + TestLogs.records(0..<5))
        let db = dir.file("db.sqlite")
        try ingest([dir.file("logs")], database: db)
        try ingest([dir.file("logs")], database: db)
        let listing = try SQLiteStore(path: db, readOnly: true).ledger()
        let notes = try #require(listing.first { $0.entry.path.hasSuffix("acct-notes.csv") })
        #expect(notes.problems == [.notAccounting: 1])
        #expect(notes.samples.first?.message.hasPrefix("not an accounting file: first line is not a PowerMTA accounting header") == true)
        #expect(LedgerReport.state(notes.entry) == "not accounting data")
        #expect(try storedCounts(db).total == 5)
    }
}
