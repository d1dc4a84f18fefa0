import Foundation
import Testing
import AcctStatCore

/// Runs the built `acctstat` binary.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

let binary: URL = {
    // The same host name on every machine for every run of the binary (its default --mta), so
    // outputs that name the host (export's mta) are the same everywhere.
    setenv("ACCTSTAT_MTA", "mta1", 1)
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return bundle.appendingPathComponent("acctstat")
}()

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@discardableResult
func acctstat(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], executable: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    // Output goes to files, so a large output never blocks the child on a full pipe.
    let base = NSTemporaryDirectory() + "acctstat-run-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: base + ".out")
        try? FileManager.default.removeItem(atPath: base + ".err")
    }
    let input = Pipe()
    process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
    process.standardError = FileHandle(forWritingAtPath: base + ".err")
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    let outData = FileManager.default.contents(atPath: base + ".out") ?? Data()
    let errData = FileManager.default.contents(atPath: base + ".err") ?? Data()
    return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
               stderr: String(decoding: errData, as: UTF8.self))
}

/// A database in `dir` with `log` (the text of an accounting file) ingested; its path.
@discardableResult
func ingestedDatabase(_ log: String, in dir: String, environment: [String: String] = [:]) throws -> String {
    try log.write(toFile: dir + "/acct.csv", atomically: true, encoding: .utf8)
    try acctstat(["ingest", "--quiet", "--db", dir + "/db.sqlite", dir + "/acct.csv"], environment: environment)
    return dir + "/db.sqlite"
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "acctstat-cli-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct CommandLineTests {
    @Test func ingestSampleLogsPrintsASummaryOnStderrOnly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try acctstat(["ingest", "--db", dir + "/db.sqlite", packageRoot.path + "/SampleLogs"])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("acctstat: ingested 1,782 records from 4 files"))
        #expect(run.stderr.contains("18 unknown-type"))
        let again = try acctstat(["ingest", "--db", dir + "/db.sqlite", "--strict", packageRoot.path + "/SampleLogs"])
        #expect(again.status == 0)
        #expect(again.stderr.hasPrefix("acctstat: ingested 0 records from 0 files (4 already up to date)"))
        let quiet = try acctstat(["ingest", "--db", dir + "/db.sqlite", "--quiet", packageRoot.path + "/SampleLogs"])
        #expect(quiet.stderr.isEmpty && quiet.stdout.isEmpty)
    }

    @Test func aBrokenDMARCReportExitsOneAndTheOthersStillCount() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try "<?xml version=\"1.0\"?>\n<feedback>\n<report_metadata><org_name>x</org_name>\n</feedback>\n"
            .write(toFile: dir + "/in/broken.xml", atomically: true, encoding: .utf8)
        let run = try acctstat(["ingest", "--db", dir + "/db.sqlite", dir + "/in", packageRoot.path + "/SampleLogs"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("DMARC: 2 aggregate reports read, 2 new."), "\(run.stderr)")
        #expect(run.stderr.contains(dir + "/in/broken.xml:4: invalid-report: invalid XML: an end tag does not match its start tag"),
                "\(run.stderr)")
        let csv = try acctstat(["dmarc", "--db", dir + "/db.sqlite", "--format", "csv", "--reporter", "Google.com", "--tz", "UTC"])
        #expect(csv.status == 0)
        #expect(csv.stdout.split(separator: "\n").count == 4)
        #expect(csv.stdout.hasPrefix("begin,end,reporter,report_id,source_ip,header_from,disposition,dmarc_dkim,dmarc_spf,"
                                     + "signing_domain,selector,dkim_result,count\n2026-11-27T00:00:00Z,2026-11-27T23:59:59Z,google.com,"))
    }

    @Test func exportColumnsAndUnknownValues() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ingestedDatabase("type,timeLogged,rcpt,dkim\nd,2026-11-20 13:59:59-0100,a@Gmail.com,\nd,2026-11-20 14:10:00+0000,b@gmail.com,fail (signature expired) header.d=x.example header.s=s1\n", in: dir)
        let csv = try acctstat(["export", "--db", dir + "/db.sqlite"])
        #expect(csv.status == 0)
        #expect(csv.stdout == """
            hour,mta,type,rcpt_domain,signing_domain,selector,result,cause,vmta,provider,count
            2026-11-20T14:00:00Z,mta1,d,gmail.com,,,unknown,,,Google,1
            2026-11-20T14:00:00Z,mta1,d,gmail.com,x.example,s1,fail,expired,,Google,1

            """)
        let ndjson = try acctstat(["export", "--db", dir + "/db.sqlite", "--format", "ndjson", "--from", "2026-11-20T14:00", "--to", "2026-11-20T15:00"])
        #expect(ndjson.stdout.split(separator: "\n").first == """
            {"hour":"2026-11-20T14:00:00Z","mta":"mta1","type":"d","rcpt_domain":"gmail.com","signing_domain":null,"selector":null,"result":"unknown","cause":null,"vmta":null,"provider":"Google","count":1}
            """)
        let file = dir + "/out.json"
        let json = try acctstat(["export", "--db", dir + "/db.sqlite", "--format", "json", "--output", file])
        #expect(json.status == 0 && json.stdout.isEmpty)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        #expect((document?["rows"] as? [[String: Any]])?.map { $0["cause"] as? String } == [nil, "expired"])
        let empty = try acctstat(["export", "--db", dir + "/db.sqlite", "--format", "json", "--from", "2026-11-21", "--to", "2026-11-22"])
        #expect(empty.stdout.hasSuffix("\"tz\": \"UTC\",\n  \"rows\": []\n}\n"))
    }

    /// `acctstat sql` in every format, with NULLs, numbers and quoting; writes and bad SQL fail with 1.
    @Test func sqlInEveryFormat() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ingestedDatabase("type,timeLogged,rcpt,dkim\nd,2026-11-20 14:10:00+0000,b@gmail.com,fail (signature expired) header.d=x.example header.s=s1\n", in: dir)
        let query = "SELECT rcpt_domain, vmta, count, 'a,\"b' AS text, 0.5 AS half FROM counts_named"
        let csv = try acctstat(["sql", "--db", dir + "/db.sqlite", "--format", "csv", query])
        #expect(csv.status == 0)
        #expect(csv.stdout == "rcpt_domain,vmta,count,text,half\ngmail.com,,1,\"a,\"\"b\",0.500000\n")
        let json = try acctstat(["sql", "--db", dir + "/db.sqlite", "--format", "json", query])
        #expect(json.stdout == """
            [
              {
                "rcpt_domain": "gmail.com",
                "vmta": null,
                "count": 1,
                "text": "a,\\"b",
                "half": 0.500000
              }
            ]

            """)
        let none = try acctstat(["sql", "--db", dir + "/db.sqlite", "--format", "json", "SELECT 1 AS one WHERE 0"])
        #expect(none.stdout == "[]\n")
        let table = try acctstat(["sql", "--db", dir + "/db.sqlite", "SELECT rcpt_domain, count FROM counts_named"])
        #expect(table.stdout == "rcpt_domain  count\ngmail.com        1\n")
        // A table is read twice, not held: the widths of every row, text to the left, numbers and NULL right.
        let widths = try acctstat(["sql", "--db", dir + "/db.sqlite",
                                   "SELECT v AS name, n FROM (SELECT 'x' AS v, 1 AS n UNION ALL SELECT 'longer name', 22 UNION ALL SELECT NULL, NULL)"])
        #expect(widths.stdout == "name            n\nx               1\nlonger name    22\nNULL         NULL\n")
        let emptyTable = try acctstat(["sql", "--db", dir + "/db.sqlite", "SELECT 1 AS one WHERE 0"])
        #expect(emptyTable.stdout == "one\n")
        let write = try acctstat(["sql", "--db", dir + "/db.sqlite", "DELETE FROM counts"])
        #expect(write.status == 1 && write.stderr.contains("only read-only SQL is allowed"))
        let bad = try acctstat(["sql", "--db", dir + "/db.sqlite", "SELEC 1"])
        #expect(bad.status == 1 && bad.stdout.isEmpty && !bad.stderr.isEmpty)
    }

    @Test func classifyReadsStdinLineByLine() throws {
        let run = try acctstat(["classify"], stdin: """
            fail (body hash did not verify) header.d=example.com header.s=s1
            smtp;550 5.7.30 This mail has been blocked because DKIM does not pass.
            pass

            """)
        #expect(run.stdout == "fail,body-hash,example.com,s1\nfail,receiver-dkim,,\npass,,,\n")
    }

    @Test func exitCodes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try acctstat(["export", "--db", dir + "/none.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no database at"))
        let usage = try acctstat(["export", "--since", "soon"])
        #expect(usage.status == 64)
        let bad = dir + "/acct-bad.csv"
        try "not,a,header\n".write(toFile: bad, atomically: true, encoding: .utf8)
        // A dry run that lists a file which would fail fails too.
        let dryRun = try acctstat(["ingest", "--dry-run", "--db", dir + "/db.sqlite", bad])
        #expect(dryRun.status == 1)
        #expect(dryRun.stdout.hasPrefix("not-accounting\t\(bad)\tnot an accounting file"))
        let problems = try acctstat(["ingest", "--db", dir + "/db.sqlite", bad])
        #expect(problems.status == 1)
        #expect(problems.stderr.contains("acct-bad.csv: not-accounting: not an accounting file"))
    }

    @Test func stdinIsReadOnceAndDryRunChangesNothing() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = "type,timeLogged,rcpt,dkim\nd,2026-11-20 10:00:00+0000,a@gmail.com,pass\nd,2026-11-20 10:00:01+0000,b@gmail.com,fail\n"
        let first = try acctstat(["ingest", "--db", dir + "/db.sqlite", "-"], stdin: log)
        #expect(first.status == 0)
        #expect(first.stderr.hasPrefix("acctstat: ingested 2 records from 1 file"))
        let again = try acctstat(["ingest", "--db", dir + "/db.sqlite", "-"], stdin: log)
        #expect(again.stderr.hasPrefix("acctstat: ingested 0 records from 0 files (1 already up to date)"))
        try log.write(toFile: dir + "/acct-new.csv", atomically: true, encoding: .utf8)
        try "just a note\n".write(toFile: dir + "/README", atomically: true, encoding: .utf8)
        let dryRun = try acctstat(["ingest", "--dry-run", "--db", dir + "/db.sqlite", dir])
        #expect(dryRun.status == 0)
        // Stdin is never finished (it may be the first part of a file): the same content in a file is
        // up to date because nothing follows where the stream stopped.
        #expect(dryRun.stdout.contains("up-to-date\t\(dir)/acct-new.csv\tnothing new since byte \(log.utf8.count)"))
        #expect(dryRun.stdout.contains("skipped\t\(dir)/README\tnot accounting data"))
        let export = try acctstat(["export", "--db", dir + "/db.sqlite"])
        #expect(export.stdout.split(separator: "\n").count == 3)
    }

    @Test func secondIngestOnTheSameDatabaseExitsWithAClearMessage() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try IngestLock(databasePath: dir + "/db.sqlite", wait: 0)
        let run = try acctstat(["ingest", "--db", dir + "/db.sqlite", packageRoot.path + "/SampleLogs"])
        #expect(run.status == 75)
        #expect(run.stderr.contains("another acctstat ingest is running"))
        withExtendedLifetime(lock) {}
    }
}
