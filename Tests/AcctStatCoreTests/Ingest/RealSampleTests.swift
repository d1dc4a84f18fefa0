import Foundation
import Testing
@testable import AcctStatCore

/// Rows in the shapes of the PowerMTA guide's samples: two headers in one file,
/// a union header, a `t` row with a trailing comma, a `tq` row shorter than its header, a
/// doubled-quote `dsnDiag`, an IDN recipient, an upper-case domain and an offset time zone.
@Suite struct RealSampleTests {
    @Test func guideShapedRowsIngestWithTheRightCounts() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("db.sqlite")
        let path = packageRoot.appendingPathComponent("Tests/AcctStatCoreTests/Fixtures/real/acct-ug50.csv").path
        let summary = try ingest([path], database: db)
        #expect(summary.records == 5)
        // The guide's own d and b rows are one field short of their header: counted, as warnings.
        #expect(summary.problems.counts == [.repeatedHeader: 1, .shortRow: 3])
        #expect(summary.exitStatus(strict: false) == .clean)
        let rows = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT type, rcpt_domain, result, cause, vmta, SUM(count) FROM counts_named GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2",
            arguments: []).rows.map { $0.map { $0.string ?? "-" } }
        #expect(rows == [
            ["b", "ymail.com", "fail", "receiver-auth", "vmta18", "1"],
            ["d", "1181.com", "unknown", "-", "vmta48", "1"],
            ["rb", "xn--bcher-kva.de", "unknown", "-", "-", "1"],
            ["t", "gmail.com", "fail", "receiver-dkim", "vmta18", "1"],
            ["tq", "-", "unknown", "-", "-", "1"],
        ])
        let failures = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT line, detail FROM failures_named ORDER BY line", arguments: []).rows
        #expect(failures.map { $0[0].int } == [3, 4])
        // The bounce's time is 2010-04-17 16:19:57-0400, that is 20:19:57 UTC.
        let hours = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT hour FROM counts_named WHERE type = 'rb'", arguments: []).rows
        #expect(hours[0][0].int == TimeWindow.instant("2010-04-17T20:00:00Z", zone: .utc))
    }
}
