import Foundation
import Testing

/// Many PowerMTA hosts in one database: `--mta` names the host of every row, each host's ledger is
/// its own, and every read can be asked for one host or grouped by host.
@Suite struct FleetTests {
    /// A host's accounting file: `count` delivered records signed by `selector`, the first `failing` of them failing.
    static func log(count: Int, failing: Int, selector: String) -> String {
        var lines = ["type,timeLogged,rcpt,dkim"]
        for index in 0..<count {
            let verdict = index < failing ? "fail (body hash did not verify)" : "pass"
            lines.append("d,2026-11-20 10:\(String(format: "%02d", index % 60)):00+0000,u\(index)@gmail.com,"
                         + "\(verdict) header.d=news.example header.s=\(selector)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func hostsShareADatabaseAndEachCountsOnce() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/fleet.sqlite"
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try Self.log(count: 30, failing: 3, selector: "s1").write(toFile: dir + "/a/acct.csv", atomically: true, encoding: .utf8)
        try Self.log(count: 20, failing: 0, selector: "s2").write(toFile: dir + "/b/acct.csv", atomically: true, encoding: .utf8)
        #expect(try acctstat(["ingest", "--quiet", "--db", db, "--mta", "MTA-A", dir + "/a"]).status == 0)
        #expect(try acctstat(["ingest", "--quiet", "--db", db, "--mta", "mta-b", dir + "/b"]).status == 0)
        // Each host's ledger is its own: a re-run adds nothing, and a copy of host a's file read
        // as host b's is host b's records (two hosts really sent them).
        let rerun = try acctstat(["ingest", "--db", db, "--mta", "mta-a", dir + "/a"])
        #expect(rerun.status == 0 && rerun.stderr.contains("0 records"), "\(rerun.stderr)")
        try FileManager.default.copyItem(atPath: dir + "/a/acct.csv", toPath: dir + "/b/copy.csv")
        #expect(try acctstat(["ingest", "--quiet", "--db", db, "--mta", "mta-b", dir + "/b"]).status == 0)

        let window = ["--from", "2026-11-20", "--to", "2026-11-21", "--tz", "UTC", "--bucket", "day"]
        let byMTA = try acctstat(["report", "--db", db, "--by", "mta", "--format", "csv"] + window)
        #expect(byMTA.status == 0)
        #expect(byMTA.stdout == """
            bucket_start,mta,total,pass,fail,neutral,policy,temperror,permerror,none,unknown,rejected,pass_rate,rejected_rate
            2026-11-20T00:00:00Z,mta-a,30,27,3,0,0,0,0,0,0,0,0.9000,0.0000
            2026-11-20T00:00:00Z,mta-b,50,47,3,0,0,0,0,0,0,0,0.9400,0.0000

            """)
        let table = try acctstat(["report", "--db", db, "--by", "mta"] + window)
        #expect(table.stdout.contains("By mta") && table.stdout.contains("mta-a"), "\(table.stdout)")

        let oneHost = try acctstat(["report", "--db", db, "--mta", "mta-a", "--format", "csv", "--by", "selector"] + window)
        #expect(oneHost.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
                == ["2026-11-20T00:00:00Z,news.example,s1,30"])
        let missing = try acctstat(["report", "--db", db, "--mta", "mta-c"] + window)
        #expect(missing.stdout.contains("No records: --mta mta-c matches nothing in the database; stored ones include mta-a, mta-b."), "\(missing.stdout)")

        let export = try acctstat(["export", "--db", db, "--mta", "mta-b"])
        let rows = export.stdout.split(separator: "\n").dropFirst()
        #expect(Set(rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }) == ["mta-b"])
        #expect(rows.map { Int($0.split(separator: ",").last!)! }.reduce(0, +) == 50)

        let check = try acctstat(["check", "--db", db, "--mta", "mta-a", "--since", "2d", "--min-pass-rate", "0.95",
                                  "--now", "2026-11-20T12:00:00Z"])
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        let healthy = try acctstat(["check", "--db", db, "--mta", "mta-b", "--selector", "s2", "--since", "2d", "--min-pass-rate", "0.95",
                                    "--now", "2026-11-20T12:00:00Z"])
        #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")

        let selectors = try acctstat(["selectors", "--db", db, "--mta", "mta-a", "--format", "csv", "--now", "2026-11-20T12:00:00Z"])
        #expect(selectors.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] } == ["s1"], "\(selectors.stdout)")

        let files = try acctstat(["files", "--db", db, "--format", "csv"])
        #expect(files.stdout.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",")
            return "\(fields.last!) \(fields[0].split(separator: "/").last!) \(fields[3])"
        }.sorted() == ["mta-a acct.csv 30", "mta-b acct.csv 20", "mta-b copy.csv 30"])
        #expect(try acctstat(["files", "--db", db]).stdout.hasPrefix("MTA "))
    }

    /// One host's report shows when that host used a key, not when the fleet did: another host's
    /// later record of the same key is not this host's last seen.
    @Test func oneHostsFirstAndLastSeenAreItsOwn() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/fleet.sqlite"
        func write(_ host: String, _ times: [String]) throws {
            try FileManager.default.createDirectory(atPath: dir + "/" + host, withIntermediateDirectories: true)
            let lines = ["type,timeLogged,rcpt,dkim"] + times.enumerated().map { index, time in
                "d,2026-11-20 \(time)+0000,u\(index)@gmail.com,pass header.d=news.example header.s=s1"
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/\(host)/acct.csv", atomically: true, encoding: .utf8)
            #expect(try acctstat(["ingest", "--quiet", "--db", db, "--mta", host, dir + "/" + host]).status == 0)
        }
        try write("mta-a", ["10:15:07", "11:40:00"])
        try write("mta-b", ["09:05:00", "14:20:31"])
        let window = ["--db", db, "--from", "2026-11-20", "--to", "2026-11-21", "--tz", "UTC", "--by", "selector", "--top", "1"]
        func seen(_ options: [String]) throws -> [Substring] {
            let report = try acctstat(["report"] + window + options).stdout
            let row = report.split(separator: "\n").first { $0.hasPrefix("news.example") }
            return row?.split(separator: " ").suffix(2).map { $0 } ?? []
        }
        // The fleet: the key's own first and last record, to the second.
        #expect(try seen([]) == ["2026-11-20T09:05:00Z", "2026-11-20T14:20:31Z"])
        // One host: the hours of its own rows (its newest record bounds the last).
        #expect(try seen(["--mta", "mta-a"]) == ["2026-11-20T10:00:00Z", "2026-11-20T11:40:00Z"])
        #expect(try seen(["--mta", "mta-b"]) == ["2026-11-20T09:00:00Z", "2026-11-20T14:20:31Z"])
        // The key-rotation view keeps the fleet's (one DNS record serves every host), and says so.
        let selectors = try acctstat(["selectors", "--db", db, "--mta", "mta-a", "--tz", "UTC", "--now", "2026-11-21T00:00Z"]).stdout
        #expect(selectors.contains("Host mta-a: its volumes, rates and states; FIRST SEEN and LAST SEEN are the fleet's"), "\(selectors)")
        #expect(selectors.contains("2026-11-20T09:05:00Z  2026-11-20T14:20:31Z"), "\(selectors)")
    }

    /// One host whose ingest stopped must not hide behind the fleet's fresh records: a check
    /// without --mta holds each host that sent records in the last 7 days to --max-age.
    @Test func aFleetsCheckNamesTheHostThatStopped() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/fleet.sqlite"
        func write(_ host: String, day: String, _ times: [String]) throws {
            try FileManager.default.createDirectory(atPath: dir + "/" + host, withIntermediateDirectories: true)
            let lines = ["type,timeLogged,rcpt,dkim"] + times.enumerated().map { index, time in
                "d,\(day) \(time)+0000,u\(index)@gmail.com,pass header.d=news.example header.s=s1"
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/\(host)/acct.csv", atomically: true, encoding: .utf8)
            #expect(try acctstat(["ingest", "--quiet", "--db", db, "--mta", host, dir + "/" + host]).status == 0)
        }
        try write("mta-a", day: "2026-11-20", ["11:40:00", "11:50:00"])
        try write("mta-b", day: "2026-11-20", ["09:05:00", "09:55:00"])
        try write("mta-old", day: "2026-11-10", ["08:00:00"])   // silent for 10 days: no longer in the fleet
        let check = ["check", "--db", db, "--since", "1h", "--min-pass-rate", "0.9", "--now", "2026-11-20T12:00Z"]
        let fleet = try acctstat(check + ["--max-age", "30m"])
        #expect(fleet.status == 3, "\(fleet.stdout)")
        #expect(fleet.stdout.hasPrefix("DKIM UNKNOWN - stale data: 1 of 2 hosts sent no record for over 30m "
                                       + "(newest record: mta-b 2h 5m old); is ingest running there?"), "\(fleet.stdout)")
        let json = try acctstat(check + ["--max-age", "30m", "--format", "json"]).stdout
        #expect(json.contains(#""mta": "mta-b""#) && !json.contains("mta-old"), "\(json)")
        // One host checked alone is held to its own freshness; a looser limit lets the fleet pass.
        #expect(try acctstat(check + ["--max-age", "30m", "--mta", "mta-a"]).status == 0)
        #expect(try acctstat(check + ["--max-age", "30m", "--mta", "mta-b"]).status == 3)
        #expect(try acctstat(check + ["--max-age", "3h"]).status == 0)
        #expect(try acctstat(check).status == 0)
    }

    @Test func aHostNameMustBeOne() throws {
        let run = try acctstat(["ingest", "--mta", "two words", "--db", temporaryDirectory() + "/x.sqlite", "/nonexistent"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--mta 'two words' has a space"), "\(run.stderr)")
    }

    @Test func theDefaultHostIsThisMachinesName() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ingestedDatabase(Self.log(count: 2, failing: 0, selector: "s1"), in: dir, environment: ["ACCTSTAT_MTA": ""])
        let export = try acctstat(["export", "--db", dir + "/db.sqlite"])
        let host = ProcessInfo.processInfo.hostName.lowercased()
        let stored = export.stdout.split(separator: "\n").dropFirst().first.map { String($0.split(separator: ",")[1]) }
        #expect(stored.map { host.hasPrefix($0) } == true, "\(String(describing: stored)) vs \(host)")
    }
}
