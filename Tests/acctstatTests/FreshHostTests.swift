import Foundation
import Testing
import AcctStatCore

/// What a new host, a lock reached through another name, and a wrong `--db` do.
@Suite struct FreshHostTests {
    /// With no `--db` and no data folder yet, ingest creates both; a dry run before creates nothing.
    @Test func aFreshHomeIngestsAndReportsWithoutDB() throws {
        let home = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["HOME": home, "XDG_DATA_HOME": "", "ACCTSTAT_DB": ""]
        let samples = packageRoot.path + "/SampleLogs"
        let dryRun = try acctstat(["ingest", "--dry-run", samples], environment: environment)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("would read from the start"))
        #expect(!FileManager.default.fileExists(atPath: home + "/.local"), "a dry run creates nothing")
        let run = try acctstat(["ingest", samples], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("into \(home)/.local/share/acctstat/acctstat.sqlite"))
        let report = try acctstat(["report", "--format", "csv"], environment: environment)
        #expect(report.status == 0)
        #expect(report.stdout.split(separator: "\n").count > 1)
        // XDG_DATA_HOME, when set, is where the folder goes.
        let xdg = try acctstat(["ingest", "--quiet", samples], environment: ["HOME": home, "XDG_DATA_HOME": home + "/xdg/data", "ACCTSTAT_DB": ""])
        #expect(xdg.status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/xdg/data/acctstat/acctstat.sqlite"))
    }

    @Test func aDirectoryAsDatabaseIsAClearErrorAndLeavesNothing() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try acctstat(["ingest", "--db", dir, packageRoot.path + "/SampleLogs"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--db \(dir) is a directory"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + ".lock"))
        // A folder that cannot be created is exit 2 too, never 75.
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let blocked = try acctstat(["ingest", "--db", dir + "/file/db.sqlite", packageRoot.path + "/SampleLogs"])
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("cannot create the database folder \(dir)/file"))
    }

    /// The lock is on the database file, so a symlink or a hard link to it meets the same lock.
    @Test(arguments: ["symlink", "hardlink"])
    func anotherNameForTheDatabaseMeetsTheSameLock(kind: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try IngestLock(databasePath: dir + "/f.db", wait: 0)
        if kind == "symlink" {
            try FileManager.default.createSymbolicLink(atPath: dir + "/link.db", withDestinationPath: dir + "/f.db")
        } else {
            try FileManager.default.linkItem(atPath: dir + "/f.db", toPath: dir + "/link.db")
        }
        let run = try acctstat(["ingest", "--db", dir + "/link.db", packageRoot.path + "/SampleLogs"])
        #expect(run.status == 75)
        #expect(run.stderr.contains("another acctstat ingest is running on \(dir)/link.db"))
        withExtendedLifetime(lock) {}
    }

    /// A reader's momentary shared lock (it looks whether an ingest is making the schema) is not
    /// another ingest: the ingest waits it out instead of exiting 75.
    @Test func aReadersMomentaryLockIsNotAnotherIngest() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/db.sqlite"
        try acctstat(["ingest", "--quiet", "--db", db, packageRoot.path + "/SampleLogs"])
        let descriptor = open(db, O_RDONLY)
        #expect(flock(descriptor, LOCK_SH) == 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flock(descriptor, LOCK_UN); close(descriptor) }
        let run = try acctstat(["ingest", "--db", db, packageRoot.path + "/SampleLogs"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Two ingests at once through two names of one database give the exact tally.
    @Test func concurrentIngestsThroughTwoNamesCountOnce() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let samples = packageRoot.path + "/SampleLogs"
        try acctstat(["ingest", "--quiet", "--db", dir + "/clean.db", samples])
        let expected = try acctstat(["export", "--db", dir + "/clean.db"]).stdout
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.db", withDestinationPath: dir + "/f.db")
        let processes = try ["f.db", "link.db"].map { name in
            let process = Process()
            process.executableURL = binary
            process.arguments = ["ingest", "--quiet", "--wait", "30", "--batch-records", "50", "--db", dir + "/" + name, samples]
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus).allSatisfy { $0 == 0 || $0 == 1 })
        #expect(try acctstat(["export", "--db", dir + "/f.db"]).stdout == expected)
    }
}

/// Usage mistakes name the value that is wrong, and exit 64.
@Suite struct UsageMessageTests {
    @Test func badValuesSayWhatIsWrong() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/db.sqlite"
        try acctstat(["ingest", "--quiet", "--db", db, packageRoot.path + "/SampleLogs"])
        let since = try acctstat(["report", "--db", db, "--since", "-7d"])
        #expect(since.status == 64)
        #expect(since.stderr.contains("--since takes a positive duration such as 90m, 24h, 7d or 4w, not '-7d'"))
        let top = try acctstat(["report", "--db", db, "--top", "-1"])
        #expect(top.status == 64)
        #expect(top.stderr.contains("--top takes a number of groups, at least 1, not -1"))
        let order = try acctstat(["export", "--db", db, "--from", "2026-11-28", "--to", "2026-11-27"])
        #expect(order.status == 64)
        #expect(order.stderr.contains("--from 2026-11-28 is not before --to 2026-11-27"))
        let zone = try acctstat(["report", "--db", db, "--tz", "-05:00", "--since", "30d", "--now", "2026-11-29T00:00Z"])
        #expect(zone.status == 0)
        #expect(zone.stdout.contains("time zone -05:00"))
        let nothing = try acctstat(["report", "--db", db, "--since", "30d", "--now", "2026-11-29T00:00Z", "--selector", "nosuch"])
        #expect(nothing.status == 0)
        #expect(nothing.stdout.contains("--selector nosuch matches nothing in the database; stored ones include esp1, k1, s2026a, s2026b, sel1."))
    }
}

/// What a walk skips is said, and a FIFO named on the command line is read as a stream.
@Suite struct SpecialFileTests {
    @Test func linksFIFOsAndLoopsAreNamedAndAFIFOIsAStream() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let logs = dir + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let log = "type,timeLogged,rcpt,dkim\nd,2026-11-20 10:00:00+0000,a@gmail.com,pass\nd,2026-11-20 10:00:01+0000,b@gmail.com,fail\n"
        try log.write(toFile: logs + "/acct.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: logs + "/dangling.csv", withDestinationPath: dir + "/nothing")
        try FileManager.default.createSymbolicLink(atPath: logs + "/loop1", withDestinationPath: logs + "/loop2")
        try FileManager.default.createSymbolicLink(atPath: logs + "/loop2", withDestinationPath: logs + "/loop1")
        #expect(mkfifo(logs + "/pipe.csv", 0o644) == 0)
        let dryRun = try acctstat(["ingest", "--dry-run", "--db", dir + "/db.sqlite", logs])
        #expect(dryRun.stdout.contains("skipped\t\(logs)/dangling.csv\ta symbolic link to nothing"))
        #expect(dryRun.stdout.contains("skipped\t\(logs)/loop1\ta symbolic link loop"))
        #expect(dryRun.stdout.contains("skipped\t\(logs)/pipe.csv\ta FIFO"))
        let run = try acctstat(["ingest", "--db", dir + "/db.sqlite", logs])
        #expect(run.status == 0)
        #expect(run.stderr.contains("4 skipped as not accounting data or not a regular file"))
        // A FIFO on the command line is read as it comes, like stdin.
        #expect(mkfifo(dir + "/stream", 0o644) == 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: dir + "/stream") {
                handle.write(Data("type,timeLogged,rcpt,dkim\nd,2026-11-21 10:00:00+0000,c@gmail.com,pass\n".utf8))
                try? handle.close()
            }
        }
        writer.start()
        let stream = try acctstat(["ingest", "--db", dir + "/db.sqlite", dir + "/stream"])
        #expect(stream.status == 0)
        #expect(stream.stderr.hasPrefix("acctstat: ingested 1 record from 1 file"))
    }
}

/// Small command-line conventions: a version, the provider table, no 40 KB page on a terminal.
@Suite struct ConventionTests {
    @Test func versionProvidersAndReportProviderFilter() throws {
        let version = try acctstat(["--version"])
        #expect(version.status == 0 && version.stdout == "0.7.0\n")
        let providers = try acctstat(["report", "--providers-list"])
        #expect(providers.stdout.contains("Google:") && providers.stdout.contains("Microsoft:"))
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try acctstat(["ingest", "--quiet", "--db", dir + "/db.sqlite", packageRoot.path + "/SampleLogs"])
        let google = try acctstat(["report", "--db", dir + "/db.sqlite", "--since", "30d", "--now", "2026-11-29T00:00:00Z",
                                   "--provider", "Google", "--by", "domain", "--format", "csv"])
        let domains = Set(google.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] })
        #expect(domains.contains("gmail.com") && domains.isSubset(of: ["gmail.com", "googlemail.com"]))
    }
}
