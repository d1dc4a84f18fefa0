import Foundation
import Testing

/// Cron ingests as root; Nagios runs `check` as its own user, who may read the database and its
/// folder and nothing more. Every reading command must work for that user, also during an ingest.
@Suite struct ReadOnlyReaderTests {
    /// Runs the reader as user `nobody` (as root, with `setpriv`); nil when this is not root.
    static let canSwitchUser = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test func nobodyReadsWhatRootWrote() throws {
        guard Self.canSwitchUser else {
            print("ReadOnlyReaderTests: skipped, needs root and setpriv to run readers as nobody")
            return
        }
        // The binary and the database in folders any user may enter (the checkout may not be).
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        chmod(dir, 0o755)
        let reader = dir + "/acctstat"
        try FileManager.default.copyItem(atPath: binary.path, toPath: reader)
        chmod(reader, 0o755)
        let dataDir = dir + "/data"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        let db = dataDir + "/db.sqlite"
        try acctstat(["ingest", "--quiet", "--db", db, packageRoot.path + "/SampleLogs"])
        func asNobody(_ arguments: [String]) throws -> Run {
            try acctstat(["--reuid=65534", "--regid=65534", "--clear-groups", reader] + arguments, executable: "/usr/bin/setpriv")
        }
        let commands: [[String]] = [
            ["report", "--db", db],
            ["report", "--db", db, "--format", "csv"],
            ["check", "--db", db, "--since", "7d", "--now", "2026-11-29T00:00:00Z", "--min-pass-rate", "0.5"],
            ["selectors", "--db", db],
            ["export", "--db", db],
            ["files", "--db", db],
            ["sql", "--db", db, "SELECT COUNT(*) FROM counts"],
        ]
        for command in commands {
            let run = try asNobody(command)
            #expect(!run.stderr.contains("readonly") && !run.stderr.contains("error"), "\(command[0]): \(run.stderr)")
            #expect(run.status == 0 || (command[0] == "check" && run.status <= 2), "\(command[0]) exited \(run.status): \(run.stderr)")
            #expect(!run.stdout.isEmpty, "\(command[0]) printed nothing")
        }
        // The same while an ingest writes: readers started during it never fail.
        try FileManager.default.createDirectory(atPath: dir + "/more", withIntermediateDirectories: false)
        try generateLogs(records: 30_000, days: 2, seed: 5, into: dir + "/more")
        let writer = Process()
        writer.executableURL = binary
        writer.arguments = ["ingest", "--quiet", "--batch-records", "2000", "--db", db, dir + "/more"]
        try writer.run()
        var reads = 0
        while writer.isRunning || reads < 2 {
            let run = try asNobody(["report", "--db", db, "--format", "csv"])
            #expect(run.status == 0, "report during an ingest: \(run.stderr)")
            reads += 1
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(try asNobody(["export", "--db", db]).stdout == (try acctstat(["export", "--db", db])).stdout)
    }

    /// Reports started while the very first ingest creates the database wait for its schema: they
    /// never fail with an empty file or an upgrade they cannot do.
    @Test func reportsStartedDuringTheFirstIngestNeverFail() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try generateLogs(records: 20_000, days: 1, seed: 3, into: dir + "/logs")
        for attempt in 0..<4 {
            let db = dir + "/db\(attempt).sqlite"
            let writer = Process()
            writer.executableURL = binary
            writer.arguments = ["ingest", "--quiet", "--db", db, dir + "/logs"]
            try writer.run()
            var runs: [Run] = []
            while writer.isRunning || runs.count < 3 {
                guard FileManager.default.fileExists(atPath: db) else { continue }
                runs.append(try acctstat(["report", "--db", db, "--format", "csv"]))
            }
            writer.waitUntilExit()
            for run in runs { #expect(run.status == 0, "report during the first ingest: \(run.stderr)") }
        }
    }
}
