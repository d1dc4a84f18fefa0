import Foundation
import Testing
@testable import AcctStatCore

/// Logs without any DKIM column, ingested with the PowerMTA configuration: per-selector
/// counts must equal the tally by vmta and author domain.
@Suite struct ConfigAttributionTests {
    /// Deterministic records: vmta, author (header_From), recipient, and the selector the configuration implies.
    static func records(count: Int, offset: Int = 0) -> (text: String, expected: [String: Int]) {
        let vmtas = ["vmta-a", "vmta-b", "pool-1", "vmta-x"]
        let authors = ["news@news.example.com", "\"Shop\" <orders@mail.shop.example>", "team@example.org", "x@other.example"]
        let recipients = ["gmail.com", "unsigned.example", "yahoo.com"]
        var lines: [String] = []
        var expected: [String: Int] = [:]
        for index in offset..<(offset + count) {
            let vmta = vmtas[index % 4], author = authors[(index / 4) % 4], recipient = recipients[(index / 16) % 3]
            lines.append("d,2026-11-20 10:00:00+0000,bounce@\(author.split(separator: "@").last!.trimmingCharacters(in: CharacterSet(charactersIn: ">"))),"
                         + "u\(index)@\(recipient),\(vmta),\"\(author.replacingOccurrences(of: "\"", with: "\"\""))\"")
            var selector = "|"
            if recipient != "unsigned.example" {
                switch (vmta, author) {
                case ("vmta-a", let a) where a.hasSuffix("news.example.com"), ("pool-1", let a) where a.hasSuffix("news.example.com"):
                    selector = "news.example.com|s2026a"
                case ("vmta-b", let a) where a.hasSuffix("news.example.com"): selector = "news.example.com|s2026b"
                case ("vmta-a", let a) where a.contains("mail.shop.example"), ("pool-1", let a) where a.contains("mail.shop.example"):
                    selector = "mail.shop.example|k1"
                case (_, let a) where a.hasSuffix("example.org"): selector = "example.org|global"
                default: break
                }
            }
            expected[selector, default: 0] += 1
        }
        return ("type,timeLogged,orig,rcpt,vmta,header_From\n" + lines.joined(separator: "\n") + "\n", expected)
    }

    func selectorCounts(_ db: String) throws -> [String: Int] {
        let rows = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT COALESCE(signing_domain, '') || '|' || COALESCE(selector, ''), SUM(count), MIN(key_source) FROM counts_named GROUP BY 1",
            arguments: []).rows
        var counts: [String: Int] = [:]
        for row in rows {
            counts[row[0].string!] = Int(row[1].int!)
            #expect(row[2].string == (row[0].string == "|" ? "none" : "config"))
        }
        return counts
    }

    @Test func perSelectorCountsEqualTheTallyByVMTA() throws {
        let dir = TemporaryDirectory()
        let config = PMTAConfig(path: try pmtaFixtures(dir) + "/config")
        let (text, expected) = Self.records(count: 480)
        dir.write("acct.csv", text)
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("acct.csv")], database: db) { $0.pmtaConfig = config }
        #expect(summary.records == 480)
        #expect(try selectorCounts(db) == expected)
        #expect(summary.problems.counts[.configProblem] == 1)
        #expect(summary.text(database: db, seconds: 0).contains("Selectors not in the records come from"))
    }

    @Test func aConfigurationChangeOnlyAffectsLaterIngests() throws {
        let dir = TemporaryDirectory()
        let fixtures = try pmtaFixtures(dir)
        let db = dir.file("db.sqlite")
        dir.write("logs/acct-1.csv", Self.records(count: 64).text)
        try ingest([dir.file("logs")], database: db) { $0.pmtaConfig = PMTAConfig(path: fixtures + "/config") }
        // Rotation: vmta-a now signs news.example.com with s2026c.
        let rotated = try String(contentsOfFile: fixtures + "/config", encoding: .utf8)
            .replacingOccurrences(of: "domain-key s2026a,news.example.com", with: "domain-key s2026c,news.example.com")
        try rotated.write(toFile: fixtures + "/config", atomically: true, encoding: .utf8)
        dir.write("logs/acct-2.csv", Self.records(count: 64, offset: 1000).text)
        try ingest([dir.file("logs")], database: db) { $0.pmtaConfig = PMTAConfig(path: fixtures + "/config") }
        let counts = try selectorCounts(db)
        let first = Self.records(count: 64).expected["news.example.com|s2026a"]!
        #expect(counts["news.example.com|s2026a"] == first)   // the earlier records keep the old selector
        #expect(counts["news.example.com|s2026c"] == first)   // the later ones (same mix) get the new one
        let runs = try SQLiteStore(path: db, readOnly: true).query("SELECT COUNT(DISTINCT config_fingerprint) FROM runs", arguments: []).rows
        #expect(runs[0][0].int == 2)
    }

    @Test func evidenceWinsOverConfiguration() throws {
        let dir = TemporaryDirectory()
        let config = PMTAConfig(path: try pmtaFixtures(dir) + "/config")
        dir.write("acct.csv", """
            type,timeLogged,rcpt,vmta,header_From,dkim
            d,2026-11-20 10:00:00+0000,u@gmail.com,vmta-a,news@news.example.com,pass header.d=news.example.com header.s=live1
            d,2026-11-20 10:00:00+0000,u@gmail.com,vmta-a,news@news.example.com,pass header.d=news.example.com

            """)
        let db = dir.file("db.sqlite")
        try ingest([dir.file("acct.csv")], database: db) { $0.pmtaConfig = config }
        let rows = try SQLiteStore(path: db, readOnly: true).query(
            "SELECT selector, key_source FROM counts_named ORDER BY selector", arguments: []).rows
        #expect(rows == [[.text("live1"), .text("evidence")], [.text("s2026a"), .text("config")]])
    }
}
