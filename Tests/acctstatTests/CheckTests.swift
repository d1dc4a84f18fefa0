import Foundation
import Testing
import AcctStatCore

/// `acctstat check` exit codes, end to end: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
@Suite struct CheckTests {
    /// 100 records in the hour before 2026-11-29T12:00Z: 95 pass, 5 fail.
    static func database() throws -> String {
        let dir = temporaryDirectory()
        var lines = ["type,timeLogged,rcpt,dkim"]
        for index in 0..<100 {
            lines.append("d,2026-11-29 11:\(String(format: "%02d", index % 60)):00+0000,u\(index)@gmail.com,\(index < 95 ? "pass" : "fail")")
        }
        return try ingestedDatabase(lines.joined(separator: "\n") + "\n", in: dir)
    }

    func check(_ db: String, _ arguments: [String]) throws -> Run {
        try acctstat(["check", "--db", db, "--now", "2026-11-29T12:00:00Z", "--since", "1h"] + arguments)
    }

    @Test func statuses() throws {
        let db = try Self.database()
        let ok = try check(db, ["--min-pass-rate", "0.90", "--warn-pass-rate", "0.94"])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("DKIM OK - pass rate 95.0% over 100 records with a verdict in the last 60m | pass_rate=0.9500;0.9400:;0.9000:;0;1"))
        let warning = try check(db, ["--min-pass-rate", "0.90", "--warn-pass-rate", "0.98"])
        #expect(warning.status == 1)
        #expect(warning.stdout.hasPrefix("DKIM WARNING - "))
        let critical = try check(db, ["--min-pass-rate", "0.98"])
        #expect(critical.status == 2)
        #expect(critical.stdout.hasPrefix("DKIM CRITICAL - pass rate 95.0% over 100 records with a verdict in the last 60m, below 98.0%"))
        let json = try check(db, ["--min-pass-rate", "0.98", "--format", "json"])
        #expect(json.status == 2)
        #expect(json.stdout.contains("\"status\": \"CRITICAL\""))
    }

    @Test func unknownForNoDataLowVolumeAndStaleData() throws {
        let db = try Self.database()
        let otherDomain = try check(db, ["--min-pass-rate", "0.9", "--domain", "yahoo.com"])
        #expect(otherDomain.status == 3)
        #expect(otherDomain.stdout.hasPrefix("DKIM UNKNOWN - no records with a DKIM verdict in the last 60m (domain yahoo.com)"))
        let lowVolume = try check(db, ["--min-pass-rate", "0.9", "--min-volume", "500"])
        #expect(lowVolume.status == 3)
        #expect(lowVolume.stdout.contains("only 100 records with a verdict"))
        let stale = try acctstat(["check", "--db", db, "--now", "2026-11-29T14:00:00Z", "--since", "3h", "--min-pass-rate", "0.9",
                                  "--max-age", "30m"])
        #expect(stale.status == 3)
        #expect(stale.stdout.hasPrefix("DKIM UNKNOWN - stale data: the newest record is"))
        let empty = temporaryDirectory() + "/none.sqlite"
        let noDatabase = try check(empty, ["--min-pass-rate", "0.9"])
        #expect(noDatabase.status == 3)
        #expect(noDatabase.stdout.hasPrefix("DKIM UNKNOWN - "))
    }

    /// A monitoring plugin answers: thresholds in the wrong order and unknown providers are UNKNOWN,
    /// and so is a check that takes longer than --timeout.
    @Test func misconfigurationAndSlownessAreUnknown() throws {
        let db = try Self.database()
        let order = try check(db, ["--min-pass-rate", "0.98", "--warn-pass-rate", "0.95"])
        #expect(order.status == 3)
        #expect(order.stdout.hasPrefix("DKIM UNKNOWN - --warn-pass-rate 0.95 is below --min-pass-rate 0.98"))
        let rejectedOrder = try check(db, ["--max-rejected-rate", "0.01", "--warn-rejected-rate", "0.05"])
        #expect(rejectedOrder.status == 3)
        #expect(rejectedOrder.stdout.hasPrefix("DKIM UNKNOWN - --warn-rejected-rate 0.05 is above --max-rejected-rate 0.01"))
        let none = try check(db, [])
        #expect(none.status == 3)
        #expect(none.stdout.hasPrefix("DKIM UNKNOWN - give a threshold: --min-pass-rate (verdict evidence) or --max-rejected-rate"))
        // Both measures: the pass rate is OK and no receiver rejected anything.
        let both = try check(db, ["--min-pass-rate", "0.9", "--max-rejected-rate", "0.01"])
        #expect(both.status == 0)
        #expect(both.stdout.hasPrefix("DKIM OK - pass rate 95.0% over 100 records with a verdict in the last 60m; "
                                      + "rejected 0.0% of 100 records in the last 60m (0 receiver rejections) | "))
        let provider = try check(db, ["--min-pass-rate", "0.9", "--provider", "Gogle"])
        #expect(provider.status == 3)
        #expect(provider.stdout.hasPrefix("DKIM UNKNOWN - --provider Gogle is not a known mailbox provider; known: Apple"))
        #expect(try check(db, ["--min-pass-rate", "0.9", "--provider", "google"]).status == 0)
        // An ingest holds the lock of a database whose schema never comes: the check gives up in time.
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try IngestLock(databasePath: dir + "/new.sqlite", wait: 0)
        let started = Date()
        let slow = try acctstat(["check", "--db", dir + "/new.sqlite", "--min-pass-rate", "0.9", "--timeout", "1"])
        #expect(slow.status == 3)
        #expect(slow.stdout == "DKIM UNKNOWN - the check took longer than 1 s (--timeout)\n")
        #expect(Date().timeIntervalSince(started) < 10)
        withExtendedLifetime(lock) {}
    }
}
