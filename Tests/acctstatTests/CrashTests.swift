import Foundation
import Testing

/// `kill -9` at random moments, then re-runs, must give the same database as one clean run.
@Suite struct CrashTests {
    @Test func killedIngestsThenARerunEqualOneCleanRun() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try generateLogs(records: 60000, days: 3, seed: 11, into: dir + "/logs")

        let clean = dir + "/clean.sqlite"
        try acctstat(["ingest", "--quiet", "--db", clean, dir + "/logs"])
        let expected = try acctstat(["export", "--db", clean]).stdout
        try #require(expected.split(separator: "\n").count > 1000)

        let crashed = dir + "/crashed.sqlite"
        var random = SplitMix(seed: 42)
        var kills = 0
        for _ in 0..<8 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["ingest", "--quiet", "--batch-records", "3000", "--db", crashed, dir + "/logs"]
            try process.run()
            usleep(UInt32(20_000 + random.next() % 400_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
        }
        let final = try acctstat(["ingest", "--quiet", "--db", crashed, dir + "/logs"])
        #expect(final.status == 1 || final.status == 0)
        #expect(kills > 0)
        #expect(try acctstat(["export", "--db", crashed]).stdout == expected)
        let failures = "SELECT time, type, rcpt_domain, result, cause, detail, line FROM failures_named ORDER BY file, line"
        #expect(try query(crashed, failures) == query(clean, failures))
    }

    private func query(_ database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall())",
                             database, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A small deterministic random generator, so the kill moments repeat from run to run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt32 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// Ctrl-C ends an ingest with one line on what was committed and exit 130; a re-run resumes.
@Suite struct InterruptTests {
    @Test func ctrlCSaysWhatWasCommittedAndARerunResumes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try generateLogs(records: 60000, days: 3, seed: 12, into: dir + "/logs")
        try acctstat(["ingest", "--quiet", "--db", dir + "/clean.sqlite", dir + "/logs"])
        let expected = try acctstat(["export", "--db", dir + "/clean.sqlite"]).stdout
        let process = Process()
        process.executableURL = binary
        process.arguments = ["ingest", "--batch-records", "2000", "--db", dir + "/db.sqlite", dir + "/logs"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        usleep(300_000)
        let interrupted = process.isRunning
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if interrupted {
            #expect(process.terminationStatus == 130)
            #expect(stderr.contains("interrupted: ") && stderr.contains("records committed; run the same command again to resume"))
        }
        let rerun = try acctstat(["ingest", "--quiet", "--db", dir + "/db.sqlite", dir + "/logs"])
        #expect(rerun.status == 0 || rerun.status == 1)
        #expect(try acctstat(["export", "--db", dir + "/db.sqlite"]).stdout == expected)
    }
}

/// Part of a file read through stdin never hides the rest of it.
@Suite struct StdinPartTests {
    @Test func theFirstRecordsThroughStdinThenTheWholeFileCountEachRecordOnce() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        var lines = ["type,timeLogged,rcpt,dkim"]
        for index in 0..<25_000 {
            lines.append("d,2026-11-20 \(String(format: "%02d:%02d:%02d", index / 3600 % 24, index / 60 % 60, index % 60))+0000,"
                         + "u\(index)@d\(index % 97).test,\(index % 3 == 0 ? "fail" : "pass")")
        }
        let whole = lines.joined(separator: "\n") + "\n"
        try whole.write(toFile: dir + "/logs/acct.csv", atomically: true, encoding: .utf8)
        // The first 10,000 records, then a cut in the middle of the next one.
        let part = lines.prefix(10_001).joined(separator: "\n") + "\n" + lines[10_001].prefix(12)
        let first = try acctstat(["ingest", "--db", dir + "/db.sqlite", "-"], stdin: part)
        #expect(first.stderr.hasPrefix("acctstat: ingested 10,000 records from 1 file"))
        let rest = try acctstat(["ingest", "--db", dir + "/db.sqlite", dir + "/logs"])
        #expect(rest.stderr.hasPrefix("acctstat: ingested 15,000 records from 1 file (1 resumed)"))
        let total = try acctstat(["sql", "--db", dir + "/db.sqlite", "--format", "csv", "SELECT SUM(count) FROM counts"])
        #expect(total.stdout.split(separator: "\n").last == "25000")
    }
}

/// Writes `scripts/generate-logs` output (`records` over `days`) into `folder`.
func generateLogs(records: Int, days: Int, seed: Int, into folder: String) throws {
    let generator = Process()
    generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    generator.arguments = ["python3", packageRoot.path + "/scripts/generate-logs", "--records", String(records), "--days", String(days),
                           "--seed", String(seed), "--out", folder]
    try generator.run()
    generator.waitUntilExit()
    try #require(generator.terminationStatus == 0)
}
