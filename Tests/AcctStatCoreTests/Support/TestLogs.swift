import Foundation
@testable import AcctStatCore

/// A fresh temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "acctstat-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    func append(_ name: String, _ text: String) {
        let handle = FileHandle(forWritingAtPath: file(name))!
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }
}

/// Deterministic accounting records for ledger tests; each knows its own expected counts.
enum TestLogs {
    static let header = "type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,vmta,jobId,dkim\n"

    /// Records `range`: record i goes to domain i % 7, with a verdict cycling pass/fail/none/empty.
    static func records(_ range: Range<Int>) -> String {
        range.map { index in
            let verdicts = ["pass header.d=example.com header.s=s1",
                            "\"mx.example; dkim=fail (body hash did not verify) header.d=example.com header.s=s1\"",
                            "none", ""]
            let minute = index % 60, hour = (index / 60) % 24
            return "d,2026-11-20 \(pad(Int64(hour))):\(pad(Int64(minute))):00+0000,bounce@example.com,user\(index)@domain\(index % 7).test,"
                + "2.0.0 (success),smtp;250 ok,vmta1,job\(index % 3),\(verdicts[index % 4])\n"
        }.joined()
    }

    static func gzip(_ text: String) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        let writer = Thread { input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}

/// Runs ingest into `database` and returns the summary.
@discardableResult
func ingest(_ paths: [String], database: String, configure: (inout IngestOptions) -> Void = { _ in }) throws -> IngestRun.Summary {
    var options = IngestOptions(paths: paths)
    options.batchRecords = 7
    configure(&options)
    let store = try SQLiteStore(path: database, mta: "mta1")
    return try IngestRun(options: options, store: store).run()
}

/// Total records stored, and per result.
func storedCounts(_ database: String) throws -> (total: Int64, byResult: [String: Int64]) {
    let store = try SQLiteStore(path: database, readOnly: true)
    let rows = try store.query("SELECT result, SUM(count) FROM counts_named GROUP BY result", arguments: []).rows
    var byResult: [String: Int64] = [:]
    for row in rows { byResult[row[0].string!] = row[1].int! }
    return (byResult.values.reduce(0, +), byResult)
}
