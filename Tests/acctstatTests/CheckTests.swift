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

    /// `--source dmarc`: the receivers' reported DKIM pass rate, from SampleLogs/dmarc (Google on
    /// 2026-11-27, example.org/sel1: 78 pass, 9 fail; Microsoft on 2026-11-28, s2026b: 60 pass, 9 fail).
    @Test func theReceiversReportedRate() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/db.sqlite"
        _ = try acctstat(["ingest", "--quiet", "--db", db, packageRoot.path + "/SampleLogs"])
        func check(_ arguments: [String]) throws -> Run {
            try acctstat(["check", "--db", db, "--source", "dmarc", "--now", "2026-11-29T06:00:00Z"] + arguments)
        }
        let all = try check(["--since", "3d", "--min-pass-rate", "0.85", "--warn-pass-rate", "0.95"])
        #expect(all.status == 1)
        #expect(all.stdout.hasPrefix("DKIM WARNING - receivers' DKIM pass rate 88.5% over 156 reported signatures in DMARC reports "
                                     + "beginning in the last 3d, below 95.0% | pass_rate=0.8846;"), "\(all.stdout)")
        let google = try check(["--since", "3d", "--min-pass-rate", "0.9", "--reporter", "google.com", "--selector", "sel1"])
        #expect(google.status == 2)
        #expect(google.stdout.contains("89.7% over 87 reported signatures"), "\(google.stdout)")
        // Reports come daily: by default the last two days, where only Microsoft's report begins.
        let recent = try check(["--min-pass-rate", "0.8"])
        #expect(recent.status == 0)
        #expect(recent.stdout.contains("87.0% over 69 reported signatures"), "\(recent.stdout)")
        let stale = try acctstat(["check", "--db", db, "--source", "dmarc", "--min-pass-rate", "0.8", "--max-age", "2d",
                                  "--now", "2026-12-04T00:00:00Z"])
        #expect(stale.status == 3)
        #expect(stale.stdout.hasPrefix("DKIM UNKNOWN - stale data: the newest report ended 5d ago"), "\(stale.stdout)")
        let mixed = try check(["--max-rejected-rate", "0.1"])
        #expect(mixed.status == 3)
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
