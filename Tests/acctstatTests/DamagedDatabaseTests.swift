import Foundation
import Testing

/// A damaged database is noticed and named, by every command, never read as data.
@Suite struct DamagedDatabaseTests {
    @Test func aZeroedPageOfTheCountsIsDamageEverywhere() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/db.sqlite"
        try acctstat(["ingest", "--quiet", "--db", db, packageRoot.path + "/SampleLogs"])
        let healthy = try acctstat(["verify", "--db", db])
        #expect(healthy.status == 0)
        #expect(healthy.stdout.contains("integrity: ok"))
        #expect(healthy.stdout.contains("ledger: 1,782 records counted, the counts hold 1,782: they agree"))
        // Zero the counts table's root page (SQLite's pages are 4096 bytes here; the root page
        // number comes from sqlite_master).
        let root = try acctstat(["sql", "--db", db, "--format", "csv", "SELECT rootpage FROM sqlite_master WHERE name = 'counts'"])
        let page = try #require(Int(root.stdout.split(separator: "\n")[1]))
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        try handle.seek(toOffset: UInt64((page - 1) * 4096))
        handle.write(Data(count: 4096))
        try handle.close()

        let verify = try acctstat(["verify", "--db", db])
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("the database \(db) is damaged"))
        let check = try acctstat(["check", "--db", db, "--since", "30d", "--now", "2026-11-29T00:00:00Z", "--min-pass-rate", "0.9"])
        #expect(check.status == 3)
        #expect(check.stdout.hasPrefix("DKIM UNKNOWN - the database \(db) is damaged"))
        let report = try acctstat(["report", "--db", db])
        #expect(report.status == 2)
        #expect(report.stderr.contains("is damaged") && report.stderr.contains("re-ingest the logs into a new database"))
        // An ingest that writes into it stops with the same message, and exit 2.
        try "type,timeLogged,rcpt,dkim\nd,2026-11-29 10:00:00+0000,a@gmail.com,pass\n".write(toFile: dir + "/acct-new.csv", atomically: true, encoding: .utf8)
        let ingest = try acctstat(["ingest", "--db", db, dir + "/acct-new.csv"])
        #expect(ingest.status == 2)
        #expect(ingest.stderr.contains("is damaged"))
    }

    /// Usage mistakes reach Nagios too: one UNKNOWN line on stdout, exit 3.
    @Test func checkUsageErrorsAreUnknown() throws {
        let run = try acctstat(["check", "--since", "soon", "--min-pass-rate", "0.9"])
        #expect(run.status == 3)
        #expect(run.stdout.hasPrefix("DKIM UNKNOWN - "))
        #expect(run.stdout.contains("--since takes a positive duration"))
    }
}
