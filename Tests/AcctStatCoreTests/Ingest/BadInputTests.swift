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
        #expect(total > 50 && total < 3050)
        #expect(summary.exitStatus(strict: false) == .problems)
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
