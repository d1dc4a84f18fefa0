import Testing
@testable import AcctStatCore

/// A worker's names and decoded values are kept from one file to the next, up to a limit.
@Suite struct WorkerMemoryTests {
    @Test func decodedFieldsStartOverPastTheLimit() {
        let decoded = DecodedFields()
        _ = decoded.names.id(.domain, "example.com")
        let size = decoded.names.memoryBytes
        #expect(size > 0)
        #expect(decoded.forNextFile(limit: size) === decoded)
        let fresh = decoded.forNextFile(limit: size - 1)
        #expect(fresh !== decoded)
        #expect(fresh.names.memoryBytes < size)
    }

    /// Starting over before every file changes nothing stored: the same counts, failures and details.
    @Test func startingOverBeforeEachFileStoresTheSame() throws {
        let dir = TemporaryDirectory()
        let paths = (0..<3).map { file in
            dir.write("logs/acct-\(file).csv", TestLogs.header + (0..<20).map { index in
                let reply = index % 2 == 0 ? "smtp;550 5.7.26 Unauthenticated email from d\(file).test is not accepted due to domain's DMARC policy"
                                           : "smtp;550 5.1.1 no such user"
                return "b,2026-11-20 0\(file):\(10 + index):00+0000,bounce@example.com,user@domain\(index % 4).test,5.0.0,\"\(reply)\",vmta\(index % 2),job1,\n"
            }.joined())
        }
        func stored(limit: Int) throws -> [[String]] {
            let db = dir.file("db-\(limit).sqlite")
            try ingest(paths, database: db) {
                $0.workers = 1
                $0.workerMemoryLimit = limit
            }
            let store = try SQLiteStore(path: db, readOnly: true)
            let counts = try store.query("SELECT * FROM counts_named ORDER BY 1, 2, 3, 4, 5, 6, 7, 8", arguments: []).rows
            let failures = try store.query("SELECT time, rcpt_domain, cause, vmta, detail, line FROM failures_named ORDER BY time", arguments: []).rows
            let names = try store.query("SELECT kind, value FROM names ORDER BY kind, value", arguments: []).rows
            return (counts + failures + names).map { $0.map { $0.string ?? $0.int.map(String.init) ?? "-" } }
        }
        let kept = try stored(limit: IngestOptions(paths: []).workerMemoryLimit)
        #expect(try stored(limit: 0) == kept)
        #expect(kept.contains { $0.contains("smtp;550 5.7.26 Unauthenticated email from d2.test is not accepted due to domain's DMARC policy") })
    }
}
