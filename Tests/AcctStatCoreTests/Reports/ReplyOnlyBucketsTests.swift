import Testing
@testable import AcctStatCore

/// Receiver replies only ever report failures. Where the logs have no verdict column, a bucket's
/// rate counts rejections alone; the table and the page must say so rather than draw a collapse.
@Suite struct ReplyOnlyBucketsTests {
    static let rejection = "\"smtp;550 5.7.30 This mail has been blocked because DKIM does not pass. a1si2 - gsmtp\""

    static let day1 = TimeWindow(from: TimeWindow.instant("2026-11-20", zone: .utc)!, to: TimeWindow.instant("2026-11-21", zone: .utc)!)
    static let day2 = TimeWindow(from: day1.to, to: day1.to + 86400)

    func data(_ window: TimeWindow = TimeWindow(from: day1.from, to: day2.to), reading: ReportOutput? = nil) throws -> ReportData {
        let dir = TemporaryDirectory()
        // Day 1: a verdict column on every record, 3 passes and 1 fail, plus one rejection.
        // Day 2: no verdict column at all, 2 rejections and 3 accepted records.
        var rows = (0..<3).map { "d,2026-11-20 10:0\($0):00+0000,b@example.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1,pass header.d=example.com header.s=s1\n" }
        rows.append("d,2026-11-20 11:00:00+0000,b@example.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1,fail (body hash did not verify) header.d=example.com header.s=s1\n")
        rows.append("b,2026-11-20 12:00:00+0000,b@example.com,u@gmail.com,5.7.30,\(Self.rejection),vmta1,job1,\n")
        rows += (0..<2).map { "b,2026-11-21 10:0\($0):00+0000,b@example.com,u@gmail.com,5.7.30,\(Self.rejection),vmta1,job1,\n" }
        rows += (0..<3).map { "d,2026-11-21 11:0\($0):00+0000,b@example.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1,\n" }
        let path = dir.write("acct.csv", TestLogs.header + rows.joined())
        let db = dir.file("db.sqlite")
        try ingest([path], database: db)
        var options = ReportOptions(window: window, zone: .utc, now: window.to)
        options.bucket = .day
        options.read(for: reading ?? .page(sections: ReportTableRenderer.sections(by: nil)))
        return try ReportData.load(from: try SQLiteStore(path: db, readOnly: true), options: options, providers: try ProviderTable())
    }

    func report() throws -> Report { Report(data: try data()) }

    @Test func theTableSaysWhichRatesCountRejectionsAlone() throws {
        let report = try report()
        #expect(report.summary.counts.passRate == 3.0 / 7.0)
        #expect(report.summary.counts.passRateFromColumns == 3.0 / 4.0)
        #expect(report.bucketsWithoutColumnVerdicts == [1])
        let table = ReportTableRenderer.render(report, style: TerminalStyle(width: 200))
        #expect(table.contains("Pass rate: 42.9% of 7 records with a verdict\n"))
        #expect(table.contains("           from verdict columns alone: 75.0% of 4; receiver replies add 3 rejections, and never a pass.\n"))
        #expect(table.contains("           No verdict column in 1 of 2 buckets (2026-11-21): rates there count receiver rejections alone (? in TREND).\n"))
        let gmail = table.split(separator: "\n").first { $0.hasPrefix("gmail.com") }
        #expect(gmail?.hasSuffix("42.9%  ▅?") == true)
        // Per group: the unsigned rejections' selector had replies alone on both days, day 1 included.
        let unknownSelector = table.split(separator: "\n").first { $0.hasPrefix("(unknown)") }
        #expect(unknownSelector?.contains(" 0.0%  ?? ") == true)
    }

    @Test func thePageLeavesThoseBucketsOutOfItsCharts() throws {
        let page = HTMLReportRenderer.render(try report(), generatedAt: 0)
        #expect(page.contains("No verdict column in 1 of 2 buckets (2026-11-21): rates there count receiver rejections alone; the charts leave out such points."))
        // Points only where a verdict column spoke: gmail.com and example.com/s1 on the first day.
        #expect(page.components(separatedBy: "<circle").count - 1 == 2)
    }

    /// `check` cannot measure signatures from rejections alone: UNKNOWN, not a 0% CRITICAL.
    @Test func checkIsUnknownWhenEveryVerdictIsARejection() throws {
        let thresholds = HealthCheck.Thresholds(critical: 0.5)
        let replyOnly = HealthCheck(data: try data(Self.day2, reading: .totals), thresholds: thresholds, now: Self.day2.to)
        #expect(replyOnly.status == .unknown)
        #expect(replyOnly.line.hasPrefix("DKIM UNKNOWN - no DKIM verdict column in the last 24h: its 2 verdicts are receiver rejections, "
                                         + "which never report a pass | pass_rate=0.0000;;0.5000:;0;1 records=5 verdicts=2 pass=0 fail=2 unknown=3 column_verdicts=0 "))
        // With a verdict column, the rejections count in the rate as documented: 3 passes of 5 verdicts.
        let mixed = HealthCheck(data: try data(Self.day1, reading: .totals), thresholds: thresholds, now: Self.day1.to)
        #expect(mixed.status == .ok)
        #expect(mixed.line.contains("pass_rate=0.6000;;0.5000:;0;1 records=5 verdicts=5 pass=3 fail=2 unknown=0 column_verdicts=4 "))
    }

    /// The key-rotation view warns of a failing selector only on verdict columns' evidence; on
    /// rejections alone it says that, not a failing pass rate of 0%.
    @Test func selectorsWarnOfRejectionsAsRejections() throws {
        let dir = TemporaryDirectory()
        let header = "type,timeLogged,orig,rcpt,dsnStatus,dsnDiag,vmta,jobId,header_DKIM-Signature,dkim\n"
        let signature = "\"v=1; a=rsa-sha256; d=example.com; s=s2; h=from; bh=x=; b=y\""
        let rows = (0..<3).map { "b,2026-11-21 10:0\($0):00+0000,b@example.com,u@gmail.com,5.7.30,\(Self.rejection),vmta1,job1,\(signature),\n" }
            + ["d,2026-11-21 11:00:00+0000,b@example.com,u@gmail.com,2.0.0,smtp;250 ok,vmta1,job1,\(signature),fail (body hash did not verify) header.d=example.com header.s=s1\n"]
        let db = dir.file("db.sqlite")
        try ingest([dir.write("acct.csv", header + rows.joined())], database: db)
        let view = try SelectorsView.load(from: try SQLiteStore(path: db, readOnly: true), now: Self.day2.to)
        #expect(view.selectors.map { "\($0.selector): \($0.warnings)" } == [
            "s1: [\"still signing with a failing pass rate: 0.0% in the last 24 h\"]",
            "s2: [\"receivers rejected its mail in the last 24 h, and no verdict column says how its signatures fare\"]",
        ])
    }

    /// A change against the previous window is no change when either side counts rejections alone.
    @Test func noChangeFromOrToARateOfRejectionsAlone() throws {
        let current = try data(Self.day2).tally.groups(.domain).values.first!.counts
        let previous = try data(Self.day1).tally.groups(.domain).values.first!.counts
        #expect(current.verdictsOnlyFromReplies && !previous.verdictsOnlyFromReplies)
        #expect(current.passRate == 0 && previous.passRate == 0.6)
        #expect(current.passRateChange(since: previous) == nil)
        #expect(previous.passRateChange(since: previous) == 0)
    }
}
