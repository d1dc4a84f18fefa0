import Foundation
import Testing
@testable import AcctStatCore

@Suite struct MetricsTests {
    /// Parses the exposition text: every sample's metric has HELP and TYPE lines before it, and
    /// lines have the format's shape. Returns the samples as (name, labels, value).
    func samples(_ text: String) throws -> [(name: String, labels: [String: String], value: Int64)] {
        var declared: Set<String> = [], typed: Set<String> = []
        var samples: [(String, [String: String], Int64)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") { declared.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(["counter", "gauge"].contains(String(parts[3])))
                typed.insert(String(parts[2]))
                continue
            }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && name.hasPrefix("acctstat_"), "\(line)")
            #expect(declared.contains(name) && typed.contains(name), "HELP and TYPE before \(name)")
            var labels: [String: String] = [:]
            if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
                for pair in line[line.index(after: open)..<close].split(separator: ",") {
                    let key = pair.prefix { $0 != "=" }
                    labels[String(key)] = String(pair.dropFirst(key.count + 2).dropLast())
                }
            }
            samples.append((name, labels, try #require(Int64(line.split(separator: " ").last!))))
        }
        return samples
    }

    @Test func recordsAddUpToTheStoredCountsAndLabelsStayBounded() throws {
        let store = ReportSnapshotTests.store
        let text = try Metrics.render(store: store, providers: try ProviderTable())
        let all = try samples(text)
        let records = all.filter { $0.name == "acctstat_records_total" }
        let stored = try store.query("SELECT SUM(count) FROM counts", arguments: []).rows[0][0].int
        #expect(records.reduce(0) { $0 + $1.value } == stored)
        #expect(Set(records.map { $0.labels["provider"]! }).isSubset(of: try ProviderTable().names))
        #expect(Set(records.map { $0.labels["selector"]! }) == ["esp1", "k1", "s2026a", "s2026b", "sel1"])
        #expect(all.contains { $0.name == "acctstat_newest_record_timestamp_seconds" && $0.value == 1_795_910_372 })
        #expect(all.contains { $0.name == "acctstat_build_info" && $0.labels["version"] == AcctStatVersion.current })
        #expect(all.contains { $0.name == "acctstat_ingest_problems_total" && $0.labels["kind"] == "unknown-type" && $0.value == 18 })
        #expect(all.filter { $0.name == "acctstat_selector_last_seen_timestamp_seconds" }.count == 5)
    }

    /// Selectors not seen in the 30 days before the newest record fold into `other`.
    @Test func oldSelectorsFoldIntoOther() throws {
        let dir = TemporaryDirectory()
        dir.write("logs/acct.csv", "type,timeLogged,rcpt,dkim\n"
                  + "d,2026-09-01 10:00:00+0000,a@gmail.com,pass header.d=news.example header.s=old\n"
                  + "d,2026-11-20 10:00:00+0000,b@gmail.com,pass header.d=news.example header.s=new\n")
        try ingest([dir.file("logs")], database: dir.file("db.sqlite"))
        let text = try Metrics.render(store: try SQLiteStore(path: dir.file("db.sqlite"), readOnly: true), providers: try ProviderTable())
        #expect(text.contains("acctstat_records_total{provider=\"Google\",signing_domain=\"other\",selector=\"other\",result=\"pass\",source=\"column\"} 1"))
        #expect(text.contains("acctstat_records_total{provider=\"Google\",signing_domain=\"news.example\",selector=\"new\",result=\"pass\",source=\"column\"} 1"))
        #expect(!text.contains("selector=\"old\""))
        #expect(Metrics.escaped("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
    }

    /// Prometheus's own linter accepts the output, where it is installed (Debian's `prometheus`).
    @Test func promtoolAcceptsTheOutput() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else {
            print("MetricsTests: promtool not installed (apt-get install prometheus); skipped its check")
            return
        }
        let text = try Metrics.render(store: ReportSnapshotTests.store, providers: try ProviderTable())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(said)")
    }
}
