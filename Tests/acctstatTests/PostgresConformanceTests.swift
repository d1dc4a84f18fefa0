import Foundation
import Testing
import AcctStatCore

/// The same inputs give the same answers on both backends, byte for byte, and PostgreSQL keeps
/// exactly-once for many hosts ingesting at once, a killed ingest, and a re-run.
@Suite(.serialized) struct PostgresConformanceTests {
    /// What a user reads, on both backends: every report format and grouping, exports, the
    /// selectors, DMARC and check views, and the ledger's agreement.
    static let commands: [[String]] = {
        var commands: [[String]] = []
        for zone in ["UTC", "America/New_York"] {
            commands.append(["report", "--tz", zone])
            commands.append(["report", "--tz", zone, "--format", "html", "--now", "2026-11-29T00:00Z"])  // "generated at" the same time
            for by in ["domain", "selector", "cause", "provider", "vmta", "mta"] {
                commands.append(["report", "--tz", zone, "--by", by, "--format", "csv"])
                commands.append(["report", "--tz", zone, "--by", by, "--format", "json"])
            }
        }
        commands += [
            ["report", "--since", "5h", "--now", "2026-11-28T12:30Z", "--by", "selector", "--format", "csv"],
            ["report", "--since", "2d", "--now", "2026-11-28T12:30Z", "--type", "b,rb", "--selector", "sel1"],
            // Windows whose totals are summed by key (PostgreSQL sums them in the server): a previous
            // window with records and ragged ends, a long window's first pass for its top groups,
            // and a long CSV window read bucket by bucket.
            ["report", "--since", "36h", "--now", "2026-11-28T12:30Z", "--tz", "UTC"],
            ["report", "--since", "36h", "--now", "2026-11-28T12:30Z", "--tz", "UTC", "--selector", "sel1"],
            ["report", "--since", "3d", "--now", "2026-11-28T12:30Z", "--tz", "UTC", "--bucket", "hour", "--top", "3"],
            ["report", "--since", "3d", "--now", "2026-11-28T12:30Z", "--tz", "UTC", "--bucket", "hour", "--by", "selector", "--format", "csv"],
            ["export"], ["export", "--signatures", "--format", "json"],
            ["export", "--from", "2026-11-26T10:17", "--to", "2026-11-27T03:42", "--format", "ndjson"],
            ["selectors", "--now", "2026-11-29T00:00Z", "--tz", "UTC"], ["selectors", "--now", "2026-11-29T00:00Z", "--format", "csv"],
            ["dmarc", "--tz", "UTC"], ["dmarc", "--format", "csv"],
            ["check", "--since", "2d", "--min-pass-rate", "0.9", "--now", "2026-11-29T00:00Z"],
            ["check", "--since", "2d", "--min-pass-rate", "0.9", "--max-age", "2h", "--now", "2026-11-29T00:00Z", "--format", "json"],
            ["check", "--source", "dmarc", "--min-pass-rate", "0.9", "--now", "2026-11-29T00:00Z", "--format", "json"],
            ["sql", "--format", "csv", "SELECT mta, type, SUM(count) AS records FROM counts_named GROUP BY mta, type ORDER BY mta, type"],
        ]
        return commands
    }()

    @Test func sampleLogsGiveTheSameAnswersOnBothBackends() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sqlite = dir + "/db.sqlite"
        let logs = packageRoot.appendingPathComponent("SampleLogs").path
        for db in [sqlite, postgres] {
            #expect(try acctstat(["ingest", "--quiet", "--db", db, logs]).status == 0)
        }
        for command in Self.commands {
            let expected = try acctstat(command + ["--db", sqlite])
            let actual = try acctstat(command + ["--db", postgres])
            #expect(actual.stdout == expected.stdout, "\(command.joined(separator: " "))")
            #expect(actual.status == expected.status, "\(command.joined(separator: " ")): \(actual.stderr)")
        }
        // A re-run adds nothing; the ledger agrees with the counts.
        let rerun = try acctstat(["ingest", "--db", postgres, logs])
        #expect(rerun.status == 0 && rerun.stderr.contains("ingested 0 records"), "\(rerun.stderr)")
        #expect(try acctstat(["verify", "--db", postgres]).stdout.contains("1,782 records counted, the counts hold 1,782: they agree"))
        // sql reads only.
        let delete = try acctstat(["sql", "--db", postgres, "DELETE FROM counts"])
        #expect(delete.status != 0 && delete.stderr.contains("read-only"), "\(delete.stderr)")
    }

    /// Two files of one host covering the same hours (a rotation's boundary, here every other
    /// record) are committed at once on two connections, a batch every few records: each key is
    /// stored once and counted as SQLite counts it.
    @Test func twoFilesOfTheSameHoursCommittedAtOnceCountOnce() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let day = try String(contentsOfFile: packageRoot.appendingPathComponent("SampleLogs/acct-2026-11-28-0000.csv").path, encoding: .utf8)
        let lines = day.split(separator: "\n", omittingEmptySubsequences: true)
        let records = lines.dropFirst().enumerated()
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        for (name, parity) in [("acct-a.csv", 0), ("acct-b.csv", 1)] {
            let half = records.filter { $0.offset % 2 == parity }.map { String($0.element) }
            try ([String(lines[0])] + half).joined(separator: "\n").appending("\n").write(toFile: dir + "/logs/" + name, atomically: true, encoding: .utf8)
        }
        let sqlite = dir + "/db.sqlite"
        for db in [sqlite, postgres] {
            #expect(try acctstat(["ingest", "--quiet", "--batch-records", "7", "--db", db, dir + "/logs"]).status == 0)
        }
        #expect(try acctstat(["export", "--db", postgres]).stdout == (try acctstat(["export", "--db", sqlite]).stdout))
        let repeated = try acctstat(["sql", "--db", postgres, "--format", "csv", """
            SELECT COUNT(*) AS repeated FROM (SELECT 1 FROM counts
            GROUP BY hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id HAVING COUNT(*) > 1) AS keys
            """])
        #expect(repeated.stdout == "repeated\n0\n", "\(repeated.stderr)")
        let verify = try acctstat(["verify", "--db", postgres])
        #expect(verify.status == 0 && verify.stdout.contains("looked for keys stored twice"), "\(verify.stdout)")
    }

    /// Rows come as the server sends them, not all at once: a read its caller stops partway (an
    /// export into a closed pipe) stops the query and leaves the connection ready for the next.
    @Test func aReadStoppedPartwayLeavesTheStoreReady() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        #expect(try acctstat(["ingest", "--quiet", "--db", postgres, packageRoot.appendingPathComponent("SampleLogs").path]).status == 0)
        let store = try StoreLocation(postgres).open(readOnly: true)
        struct Stop: Error {}
        var seen: Int64 = 0
        #expect(throws: Stop.self) {
            try store.forEachRow("SELECT g FROM generate_series(1, 2000000) AS g", named: [:]) { row in
                seen += 1
                #expect(row.int(0) == seen)
                if seen == 1000 { throw Stop() }
            }
        }
        #expect(seen == 1000)
        #expect(try store.query("SELECT 6 * 7", arguments: []).rows == [[.integer(42)]])
    }

    /// A report's reads run on several connections; on a fleet some host commits all the while.
    /// Inside `readingOneSnapshot` every read, on the thread that began it or any other, sees the
    /// state it began with, whatever commits meanwhile; after it, the next read sees the commit.
    @Test func aReportsReadsShareOneSnapshotWhileAHostCommits() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logs = packageRoot.appendingPathComponent("SampleLogs").path
        #expect(try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta1", logs]).status == 0)
        let store = try StoreLocation(postgres).open(readOnly: true)
        let records = "SELECT SUM(count) FROM counts"
        let seen = try store.readingOneSnapshot { () throws -> [Int64?] in
            let first = try store.query(records, arguments: []).rows.first?.first?.int
            #expect(try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta2", logs]).status == 0)
            final class Answer: @unchecked Sendable { var value: Int64? }
            let elsewhere = Answer(), done = DispatchSemaphore(value: 0)
            Thread {
                elsewhere.value = try? store.query(records, arguments: []).rows.first?.first?.int
                done.signal()
            }.start()
            done.wait()
            return [first, elsewhere.value, try store.query(records, arguments: []).rows.first?.first?.int]
        }
        #expect(seen == [1782, 1782, 1782])
        #expect(try store.query(records, arguments: []).rows.first?.first?.int == 2 * 1782)
    }

    /// Three hosts ingest at once; a fourth is killed mid-ingest; all four run again: the
    /// database holds each host's records exactly once, as a SQLite database of the same files does.
    @Test func aFleetIngestingAtOnceCountsEachRecordOnce() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for host in 0..<4 { try generateLogs(records: 6000, days: 3, seed: 20 + host, into: dir + "/mta\(host)") }
        let ingests = try (0..<3).map { host in
            try started(["ingest", "--quiet", "--batch-records", "700", "--db", postgres, "--mta", "mta\(host)", dir + "/mta\(host)"],
                        stderr: dir + "/mta\(host).err")
        }
        let killed = Process()
        killed.executableURL = binary
        killed.arguments = ["ingest", "--quiet", "--batch-records", "300", "--db", postgres, "--mta", "mta3", dir + "/mta3"]
        try killed.run()
        usleep(400_000)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        for (host, process) in ingests.enumerated() {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\((try? String(contentsOfFile: dir + "/mta\(host).err", encoding: .utf8)) ?? "")")
        }
        let sqlite = dir + "/fleet.sqlite"
        for host in 0..<4 {
            #expect(try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta\(host)", dir + "/mta\(host)"]).status == 0)
            #expect(try acctstat(["ingest", "--quiet", "--db", sqlite, "--mta", "mta\(host)", dir + "/mta\(host)"]).status == 0)
        }
        let export = try acctstat(["export", "--db", postgres])
        #expect(export.stdout == (try acctstat(["export", "--db", sqlite])).stdout)
        for by in ["domain", "selector", "cause", "provider", "mta"] {
            let command = ["report", "--by", by, "--format", "csv", "--tz", "America/New_York"]
            #expect(try acctstat(command + ["--db", postgres]).stdout == acctstat(command + ["--db", sqlite]).stdout, "--by \(by)")
        }
        // Each host's records: the ledger's, and the export's rows of that host.
        let ledger = try acctstat(["files", "--db", postgres, "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        var byHost: [String: Int] = [:]
        for line in ledger {
            let fields = line.split(separator: ",")
            byHost[String(fields.last!), default: 0] += Int(fields[3])!
        }
        var exported: [String: Int] = [:]
        for line in export.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            exported[String(fields[1]), default: 0] += Int(fields.last!)!
        }
        #expect(byHost.count == 4 && exported == byHost)
    }

    /// `prune` removes the same on both backends, the ledger keeps the files from being read
    /// again, and `verify` counts what was pruned; whole months go as partitions on PostgreSQL.
    @Test func pruneRemovesTheSameOnBothBackends() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sqlite = dir + "/db.sqlite"
        let logs = packageRoot.appendingPathComponent("SampleLogs").path
        for db in [sqlite, postgres] {
            #expect(try acctstat(["ingest", "--quiet", "--db", db, logs]).status == 0)
            let pruned = try acctstat(["prune", "--db", db, "--before", "2026-11-27"])
            #expect(pruned.status == 0)
            #expect(pruned.stderr.contains("before 2026-11-27T00:00:00Z: 892 records"), "\(pruned.stderr)")
            #expect(pruned.stderr.contains("84 failure samples, 0 DMARC reports"), "\(pruned.stderr)")
            #expect(try acctstat(["ingest", "--db", db, logs]).stderr.contains("ingested 0 records"))
            let verify = try acctstat(["verify", "--db", db])
            #expect(verify.status == 0 && verify.stdout.contains("the counts hold 890 and 892 were pruned: they agree"), "\(verify.stdout)")
            let export = try acctstat(["export", "--db", db]).stdout
            #expect(!export.contains("2026-11-26T") && export.contains("2026-11-27T"))
        }
        for command in [["export"], ["report", "--tz", "UTC", "--by", "selector", "--format", "csv"], ["dmarc", "--format", "csv"]] {
            #expect(try acctstat(command + ["--db", postgres]).stdout == acctstat(command + ["--db", sqlite]).stdout, "\(command)")
        }
        let whole = try acctstat(["prune", "--db", postgres, "--before", "2026-12-01"])
        #expect(whole.stderr.contains("dropped partitions counts_2026_11, failures_2026_11, other_signatures_2026_11"), "\(whole.stderr)")
        #expect(try acctstat(["export", "--db", postgres]).stdout.split(separator: "\n").count == 1)
        #expect(try acctstat(["verify", "--db", postgres]).status == 0)
        #expect(try acctstat(["prune", "--db", postgres, "--before", "2999-01-01"]).status == 64)
    }

    /// Two ingests of one host are one too many: the second exits 75, as on SQLite.
    @Test func theSameHostTwiceAtOnceIsRefused() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let holder = try StoreLocation(postgres).open(readOnly: false, mta: "mta9")
        let second = try acctstat(["ingest", "--db", postgres, "--mta", "mta9", packageRoot.appendingPathComponent("SampleLogs").path])
        #expect(second.status == 75)
        #expect(second.stderr.contains("another ingest for mta mta9 is running"), "\(second.stderr)")
        let other = try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta8", packageRoot.appendingPathComponent("SampleLogs").path])
        #expect(other.status == 0, "another host is not blocked: \(other.stderr)")
        withExtendedLifetime(holder) {}
    }

    /// The server ends the connection mid-ingest (a restart, an administrator, a failover): the
    /// ingest stops with one line naming the server and exit 2, never waits forever, and the
    /// re-run adds what was not committed, each record once.
    @Test func aConnectionLostMidIngestExits2AndTheReRunResumes() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try generateLogs(records: 30000, days: 2, seed: 31, into: dir + "/logs")
        let ingest = try started(["ingest", "--quiet", "--batch-records", "300", "--db", postgres, "--mta", "mta0", dir + "/logs"],
                                 stderr: dir + "/ingest.err")
        // Once a batch is committed: the connection then waits, idle, between the batches' statements.
        let committed = Date().addingTimeInterval(30)
        while Date() < committed,
              (try? PostgresServer.psql(postgres, "SELECT count(*) FROM files WHERE records > 0"))?.hasPrefix("0") ?? true {
            usleep(50_000)
        }
        let database = String(postgres.split(separator: "/").last ?? "")
        try PostgresServer.psql(postgres.replacingOccurrences(of: "/" + database, with: "/acctstat"),
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
        let deadline = Date().addingTimeInterval(60)
        while ingest.isRunning && Date() < deadline { usleep(100_000) }
        if ingest.isRunning { kill(ingest.processIdentifier, SIGKILL) }
        ingest.waitUntilExit()
        let stderr = (try? String(contentsOfFile: dir + "/ingest.err", encoding: .utf8)) ?? ""
        #expect(ingest.terminationReason == .exit && ingest.terminationStatus == 2, "still running after 60 s, or: \(stderr)")
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("acctstat: PostgreSQL at 127.0.0.1:") && !stderr.contains("acctstat@"), "\(stderr)")
        let rerun = try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta0", dir + "/logs"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let sqlite = dir + "/db.sqlite"
        #expect(try acctstat(["ingest", "--quiet", "--db", sqlite, "--mta", "mta0", dir + "/logs"]).status == 0)
        let export = try acctstat(["export", "--db", postgres]).stdout
        let expected = try acctstat(["export", "--db", sqlite]).stdout
        #expect(!export.isEmpty && export == expected)
    }

    /// A role without the rights a command needs (the reporting role running ingest or prune)
    /// gets the server's refusal, the README's section to read, and exit 2.
    @Test func aRoleWithoutTheRightsIsToldWhatItLacks() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let logs = packageRoot.appendingPathComponent("SampleLogs").path
        try #require(try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta0", logs]).status == 0)
        let role = "reader_" + UUID().uuidString.prefix(8).lowercased()
        try PostgresServer.psql(postgres, "CREATE ROLE \(role) LOGIN PASSWORD 'r3ader'")
        defer { _ = try? PostgresServer.psql(postgres, "DROP OWNED BY \(role); DROP ROLE \(role)") }
        try PostgresServer.psql(postgres, "REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)")
        let reader = postgres.replacingOccurrences(of: "//postgres:acctstat@", with: "//\(role):r3ader@")
        for command in [["ingest", "--quiet", "--mta", "mta1", logs], ["prune", "--before", "2026-11-01"]] {
            let run = try acctstat(command + ["--db", reader])
            #expect(run.status == 2, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("as \(role): permission denied") && run.stderr.contains("[42501]; see the README's \"A fleet on PostgreSQL\""),
                    "\(run.stderr)")
        }
        #expect(try acctstat(["report", "--db", reader, "--since", "30d", "--now", "2026-11-29"]).status == 0)
    }

    /// A read-only server (a hot standby; here default_transaction_read_only) answers reports, and
    /// an ingest there says to point --db at the primary, exit 2, before writing anything.
    @Test func aReadOnlyServerReportsAndRefusesIngestClearly() throws {
        guard let postgres = try PostgresServer.freshDatabase() else { return }
        let logs = packageRoot.appendingPathComponent("SampleLogs").path
        try #require(try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta0", logs]).status == 0)
        let report = ["report", "--db", postgres, "--since", "30d", "--now", "2026-11-29", "--format", "csv"]
        let before = try acctstat(report)
        let database = String(postgres.split(separator: "/").last ?? "")
        try PostgresServer.psql(postgres, "ALTER DATABASE \(database) SET default_transaction_read_only = on")
        let ingest = try acctstat(["ingest", "--quiet", "--db", postgres, "--mta", "mta1", logs])
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("is read-only (a hot standby, or default_transaction_read_only is on)")
                && ingest.stderr.contains("point --db at the primary"), "\(ingest.stderr)")
        #expect(ingest.stderr.split(separator: "\n").count == 1, "\(ingest.stderr)")
        let after = try acctstat(report)
        #expect(after.status == 0 && after.stdout == before.stdout && !after.stdout.isEmpty, "\(after.stderr)")
    }

    /// A server that cannot be reached, a wrong password, a missing database: one line naming the
    /// host and port, never the password, and exit 2.
    @Test func connectionFailuresSayWhereAndExit2() throws {
        guard let postgres = PostgresServer.url else { return }
        let port = postgres.split(separator: ":")[3].split(separator: "/")[0]
        let cases = [
            ("postgres://postgres:s3cret@127.0.0.1:1/acctstat", "cannot connect to PostgreSQL at 127.0.0.1:1/acctstat"),
            ("postgres://postgres:wrong-s3cret@127.0.0.1:\(port)/acctstat", "password authentication failed"),
            (postgres.replacingOccurrences(of: "/acctstat", with: "/nosuchdb"), "database \"nosuchdb\" does not exist"),
        ]
        for (url, message) in cases {
            for command in [["report"], ["ingest", "--quiet", "/nonexistent"]] {
                let run = try acctstat(command + ["--db", url])
                #expect(run.status == 2, "\(command) \(url): \(run.stderr)")
                #expect(run.stderr.contains(message) && run.stderr.contains("127.0.0.1:"), "\(run.stderr)")
                #expect(!run.stderr.contains("s3cret") && !run.stderr.contains("acctstat@"), "\(run.stderr)")
                #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            }
        }
    }
}

/// acctstat started with `arguments`, its stderr going to the file `stderr`; running.
private func started(_ arguments: [String], stderr: String) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    FileManager.default.createFile(atPath: stderr, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: stderr)
    try process.run()
    return process
}
