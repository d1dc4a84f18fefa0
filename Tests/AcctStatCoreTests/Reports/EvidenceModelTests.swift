import Foundation
import Testing
@testable import AcctStatCore

/// The evidence model: each signature's verdict counts for its own selector, the record's result
/// is DMARC's reading of them, and receiver rejections are a measure of their own, never a fail
/// in the pass rate.
@Suite struct EvidenceModelTests {
    static let day = TimeWindow(from: TimeWindow.instant("2026-12-03", zone: .utc)!, to: TimeWindow.instant("2026-12-04", zone: .utc)!)
    static let header = "type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,vmta,jobId,header_Authentication-Results\n"
    static let dmarcBounce = "\"smtp;550-5.7.26 Unauthenticated email from brand-a.com is not accepted due to domain's DMARC policy. gsmtp\""

    /// The log of the issue: a key rotation signed twice, receiver rejections without a verdict,
    /// deliveries without evidence, and a second brand.
    static func rotationLog() -> String {
        var rows: [String] = []
        var second = 0
        func add(_ count: Int, type: String = "d", diag: String = "smtp;250 ok", _ results: String) {
            for _ in 0..<count {
                second += 11
                let time = String(format: "2026-12-03 %02d:%02d:%02d+0000", second / 3600, second / 60 % 60, second % 60)
                rows.append("\(type),\(time),b@brand-a.com,u\(second)@gmail.com,5.0.0,\(diag),vmta1,job1,\(results)\n")
            }
        }
        add(300, "\"mx.google.com; dkim=pass header.d=brand-a.com header.s=s1; dkim=fail (body hash did not verify) header.d=brand-a.com header.s=s2\"")
        add(200, "\"mx.google.com; dkim=pass header.d=brand-a.com header.s=s1; dkim=pass header.d=brand-a.com header.s=s2\"")
        add(50, type: "b", diag: dmarcBounce, "")
        add(100, "")
        add(40, "\"mx.google.com; dkim=fail (signature did not verify) header.d=brand-b.com header.s=k1\"")
        add(60, "\"mx.google.com; dkim=pass header.d=brand-b.com header.s=k1\"")
        return header + rows.joined()
    }

    /// Lives as long as the test (a suite instance per test).
    let dir = TemporaryDirectory()

    func store(_ log: String) throws -> SQLiteStore {
        let db = dir.file("db.sqlite")
        try ingest([dir.write("acct.csv", log)], database: db)
        return try SQLiteStore(path: db, readOnly: true)
    }

    func report(_ store: SQLiteStore, _ output: ReportOutput, window: TimeWindow = day, bucket: ReportOptions.Bucket = .day,
                filters: ReportOptions.Filters = ReportOptions.Filters()) throws -> Report {
        var options = ReportOptions(window: window, zone: .utc, now: window.to)
        options.bucket = bucket
        options.filters = filters
        options.read(for: output)
        return Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable()))
    }

    @Test func eachSignatureCountsForItsSelectorAndTheRecordOnce() throws {
        let store = try store(Self.rotationLog())
        let selectors = try ReportRowsRenderer.csv(try report(store, .rows(.selector)), by: .selector, store: store)
        #expect(selectors == """
            bucket_start,signing_domain,selector,total,pass,fail,neutral,policy,temperror,permerror,none,unknown,rejected,pass_rate,rejected_rate
            2026-12-03T00:00:00Z,,,150,0,0,0,0,0,0,0,100,50,,0.3333
            2026-12-03T00:00:00Z,brand-a.com,s1,500,500,0,0,0,0,0,0,0,0,1.0000,0.0000
            2026-12-03T00:00:00Z,brand-a.com,s2,500,200,300,0,0,0,0,0,0,0,0.4000,0.0000
            2026-12-03T00:00:00Z,brand-b.com,k1,100,60,40,0,0,0,0,0,0,0,0.6000,0.0000

            """)
        let domains = try ReportRowsRenderer.csv(try report(store, .rows(.domain)), by: .domain, store: store)
        #expect(domains.hasSuffix("2026-12-03T00:00:00Z,gmail.com,750,560,40,0,0,0,0,0,100,50,0.9333,0.0667\n"))
        // The table's selector section and the page count the same signature verdicts.
        let page = try report(store, .page(sections: ReportTableRenderer.sections(by: nil)))
        let s2 = page.groups(.selector).groups.first { $0.key == ["brand-a.com", "s2"] }
        #expect(s2?.counts[.fail] == 300 && s2?.counts[.pass] == 200)
        #expect(page.summary.counts.total == 750 && page.summary.counts.rejected == 50)
        // A cause's top selectors count signatures; its records stay records.
        let bodyHash = page.causes().first { $0.cause == .bodyHash }
        #expect(bodyHash == nil)
        let dmarc = page.causes().first { $0.cause == .receiverDMARC }
        #expect(dmarc?.count == 50 && dmarc?.resultsText == "rejected 50")
    }

    @Test func exportCountsRecordsOrSignatures() throws {
        let store = try store(Self.rotationLog())
        func totals(_ unit: Export.Unit) throws -> [String: Int] {
            let csv = try OutputFile.text { try Export.write(store: store, window: Self.day, format: .csv, unit: unit, providers: try ProviderTable(), to: $0) }
            var byKey: [String: Int] = [:]
            for line in csv.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                byKey[fields[5] + "/" + fields[6], default: 0] += Int(fields[10])!
            }
            return byKey
        }
        #expect(try totals(.records) == ["s1/pass": 500, "k1/pass": 60, "k1/fail": 40, "/rejected": 50, "/unknown": 100])
        #expect(try totals(.signatures) == ["s1/pass": 500, "s2/pass": 200, "s2/fail": 300, "k1/pass": 60, "k1/fail": 40,
                                            "/rejected": 50, "/unknown": 100])
    }

    /// `check --selector` (and a report filtered to a selector) counts that selector's signature verdicts.
    @Test func checkOfASelectorCountsItsSignatures() throws {
        let store = try store(Self.rotationLog())
        var filters = ReportOptions.Filters()
        filters.selector = "s2"
        let data = try report(store, .totals, filters: filters).data
        let check = HealthCheck(data: data, thresholds: HealthCheck.Thresholds(critical: 0.9), now: Self.day.to)
        #expect(check.status == .critical)
        #expect(check.line.hasPrefix("DKIM CRITICAL - pass rate 40.0% over 500 records with a verdict in the last 24h (selector s2), below 90.0% | "
                                     + "pass_rate=0.4000;;0.9000:;0;1 rejected_rate=0.0000;;;0;1 records=500 verdicts=500 pass=200 fail=300 unknown=0 rejected=0"))
    }

    /// Real PowerMTA logs have no verdict column: rejections are all they show, with no pass rate,
    /// and `check` measures them with its own thresholds.
    @Test func logsWithoutAVerdictColumnShowRejectionsAndNoRate() throws {
        let header = "type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,vmta,jobId\n"
        var rows = (0..<3).map { "b,2026-12-03 10:0\($0):00+0000,b@brand-a.com,u@gmail.com,5.7.26,\(Self.dmarcBounce),vmta1,job1\n" }
        rows += (0..<97).map { "d,2026-12-03 11:\(String(format: "%02d", $0 % 60)):00+0000,b@brand-a.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1\n" }
        let store = try store(header + rows.joined())
        let page = try report(store, .page(sections: ReportTableRenderer.sections(by: nil)), bucket: .hour)
        #expect(page.summary.counts.passRate == nil && page.summary.counts.rejectedRate == 0.03)
        let table = ReportTableRenderer.render(page, style: TerminalStyle(width: 250))
        #expect(table.contains("Pass rate: none. No verdict column in these records (PowerMTA logs none of its own): no pass rate; "
                               + "receivers rejected 3 of 100 for authentication.\n"))
        #expect(table.contains("Rejected:  3.0% of records (3 receiver authentication rejections)\n"))
        #expect(!table.contains("?"))
        let gmail = table.split(separator: "\n").first { $0.hasPrefix("gmail.com") }.map(String.init)
        #expect(gmail?.split(separator: " ").prefix(13).joined(separator: " ") == "gmail.com 100 0 0 0 0 0 0 0 97 3 - █▁")
        let totals = try report(store, .totals).data
        func check(_ thresholds: HealthCheck.Thresholds) -> HealthCheck { HealthCheck(data: totals, thresholds: thresholds, now: Self.day.to) }
        #expect(check(HealthCheck.Thresholds(critical: 0.9)).status == .unknown)
        #expect(check(HealthCheck.Thresholds(critical: 0.9)).message.hasPrefix("no DKIM verdict column in the last 24h: no pass rate, only 3 receiver rejections"))
        #expect(check(HealthCheck.Thresholds(maxRejected: 0.05)).status == .ok)
        #expect(check(HealthCheck.Thresholds(maxRejected: 0.05, warnRejected: 0.02)).status == .warning)
        let critical = check(HealthCheck.Thresholds(maxRejected: 0.02))
        #expect(critical.status == .critical)
        #expect(critical.line == "DKIM CRITICAL - rejected 3.0% of 100 records in the last 24h (3 receiver rejections), above 2.0% | "
                + "pass_rate=U;;;0;1 rejected_rate=0.0300;;0.0200;0;1 records=100 verdicts=0 pass=0 fail=0 unknown=97 rejected=3 age=43260s\n")
        // The page draws a rejections chart and no pass-rate points.
        let html = HTMLReportRenderer.render(page, generatedAt: 0)
        #expect(html.contains("aria-label=\"Receiver rejections by recipient domain\""))
    }

    /// The receiving MX names the provider: Google Workspace and Microsoft 365 custom domains count
    /// as Google and Microsoft; without an MX the provider list knows, the recipient domain decides.
    @Test func theReceivingMXNamesTheProvider() throws {
        let header = "type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,dsnMta,vmta,jobId,dkim\n"
        let rows = [
            "d,2026-12-03 10:00:00+0000,b@x.com,a@acme-corp.example,2.0.0,smtp;250 ok,ASPMX.L.GOOGLE.COM. (142.250.1.27),vmta1,j,pass\n",
            "d,2026-12-03 10:01:00+0000,b@x.com,b@acme-corp.example,2.0.0,smtp;250 ok,aspmx2.googlemail.com (142.250.1.28),vmta1,j,fail\n",
            "d,2026-12-03 10:02:00+0000,b@x.com,c@contoso.example,2.0.0,smtp;250 ok,contoso-example.mail.protection.outlook.com (52.1.1.1),vmta1,j,pass\n",
            "d,2026-12-03 10:03:00+0000,b@x.com,d@gmail.com,2.0.0,smtp;250 ok,,vmta1,j,pass\n",
            "d,2026-12-03 10:04:00+0000,b@x.com,e@small.example,2.0.0,smtp;250 ok,mx.small.example (192.0.2.1),vmta1,j,pass\n",
        ]
        let store = try store(header + rows.joined())
        let providers = try ReportRowsRenderer.csv(try report(store, .rows(.provider)), by: .provider, store: store)
        #expect(providers == """
            bucket_start,provider,total,pass,fail,neutral,policy,temperror,permerror,none,unknown,rejected,pass_rate,rejected_rate
            2026-12-03T00:00:00Z,Google,3,2,1,0,0,0,0,0,0,0,0.6667,0.0000
            2026-12-03T00:00:00Z,Microsoft,1,1,0,0,0,0,0,0,0,0,1.0000,0.0000
            2026-12-03T00:00:00Z,other,1,1,0,0,0,0,0,0,0,0,1.0000,0.0000

            """)
        let export = try Export.render(store: store, window: Self.day, format: .csv, providers: try ProviderTable())
        #expect(export.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false)[9] }
                == ["provider", "Google", "Google", "Microsoft", "Google", "other"])
    }

    /// Rates never mix: a window whose verdicts are steady reads steady, whatever the share of rejections.
    @Test func aChangingMixOfEvidenceMovesNoPassRate() throws {
        var rows: [String] = []
        for (day, rejections) in [(2, 1), (3, 30)] {
            for minute in 0..<10 {
                let result = minute < 9 ? "pass" : "fail"
                rows.append("d,2026-12-0\(day) 10:\(String(format: "%02d", minute)):00+0000,b@x.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1,"
                            + "dkim=\(result) header.d=brand-a.com header.s=s1\n")
            }
            rows += (0..<rejections).map { "b,2026-12-0\(day) 11:00:\(String(format: "%02d", $0))+0000,b@x.com,u@gmail.com,5.7.26,\(Self.dmarcBounce),vmta1,job1,\n" }
        }
        let store = try store(Self.header + rows.joined())
        let page = try report(store, .page(sections: [.domain]))
        #expect(page.summary.counts.passRate == 0.9)
        #expect(page.summary.counts.passRateChange(since: page.summary.previous) == 0)
        #expect(page.groups(.domain).groups.first?.passRateChange == 0)
    }
}
