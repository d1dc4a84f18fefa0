import Foundation
import Testing
@testable import AcctStatCore

/// Seeded random input: whatever the bytes, ingest never crashes, and never counts a record twice.
@Suite struct RandomInputTests {
    @Test func randomBytesAfterAHeaderNeverCrash() throws {
        let dir = TemporaryDirectory()
        var random = SeededRandom(seed: 2026)
        let alphabet = Array("abc,\"\r\n@;=()d5.7.30 dkim=fail pass header.d=x.y header.s=s1 <>*".utf8) + [0xff, 0xfe, 0xc3, 0xbc, 0]
        for index in 0..<60 {
            var bytes = Array("type,timeLogged,rcpt,dsnDiag,vmta,dkim,header_DKIM-Signature\n".utf8)
            for _ in 0..<random.next(30) {
                bytes += Array("d,2026-11-20 10:00:00+0000,u@".utf8)
                for _ in 0..<random.next(120) { bytes.append(alphabet[random.next(alphabet.count)]) }
                bytes.append(UInt8(ascii: "\n"))
            }
            dir.write("logs/acct-\(index).csv", bytes)
        }
        let summary = try ingest([dir.file("logs")], database: dir.file("db.sqlite"))
        #expect(summary.records == (try storedCounts(dir.file("db.sqlite")).total))
    }

    @Test func gzipCutAtRandomPointsNeverCountsARecordTwice() throws {
        let dir = TemporaryDirectory()
        let full = TestLogs.header + TestLogs.records(0..<3000)
        let gzip = TestLogs.gzip(full)
        var random = SeededRandom(seed: 7)
        for index in 0..<12 {
            var cut = Array(gzip.prefix(random.next(gzip.count)))
            if index % 3 == 0, cut.count > 200 { cut[100 + random.next(cut.count - 100)] ^= 0x5a }
            dir.write("logs/acct-\(index).csv.gz", cut)
        }
        let db = dir.file("db.sqlite")
        try ingest([dir.file("logs")], database: db)
        #expect(try storedCounts(db).total <= 3000)
        // The whole file then completes the content: every record once.
        dir.write("logs/acct-whole.csv.gz", gzip)
        try ingest([dir.file("logs")], database: db)
        #expect(try storedCounts(db).total == 3000)
    }
}
