import Testing
@testable import AcctStatCore

/// Receiver replies only ever report failures. Where the logs have no verdict column, a bucket's
/// rate counts rejections alone; the table and the page must say so rather than draw a collapse.
@Suite struct ReplyOnlyBucketsTests {
    static let rejection = "\"smtp;550 5.7.30 This mail has been blocked because DKIM does not pass. a1si2 - gsmtp\""

    func report() throws -> Report {
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
        let window = TimeWindow(from: TimeWindow.instant("2026-11-20", zone: .utc)!, to: TimeWindow.instant("2026-11-22", zone: .utc)!)
        var options = ReportOptions(window: window, zone: .utc, now: window.to)
        options.bucket = .day
        options.read(for: .page(sections: ReportTableRenderer.sections(by: nil)))
        return Report(data: try ReportData.load(from: try SQLiteStore(path: db, readOnly: true), options: options, providers: try ProviderTable()))
    }

    @Test func theTableSaysWhichRatesCountRejectionsAlone() throws {
        let report = try report()
        #expect(report.summary.counts.passRate == 3.0 / 7.0)
        #expect(report.summary.columnCounts.passRate == 3.0 / 4.0)
        #expect(report.bucketsWithoutColumnVerdicts == [1])
        let table = ReportTableRenderer.render(report, style: TerminalStyle(width: 200))
        #expect(table.contains("Pass rate: 42.9% of 7 records with a verdict\n"))
        #expect(table.contains("           from verdict columns alone: 75.0% of 4; receiver replies add 3 rejections, and never a pass.\n"))
        #expect(table.contains("           No verdict column in 1 of 2 buckets (2026-11-21): rates there count receiver rejections alone (? in TREND).\n"))
        let gmail = table.split(separator: "\n").first { $0.hasPrefix("gmail.com") }
        #expect(gmail?.hasSuffix("42.9%  ▅?") == true)
    }

    @Test func thePageLeavesThoseBucketsOutOfItsCharts() throws {
        let page = HTMLReportRenderer.render(try report(), generatedAt: 0)
        #expect(page.contains("No verdict column in 1 of 2 buckets (2026-11-21): rates there count receiver rejections alone; the charts leave them out."))
        // The chart has a point for the first day only.
        #expect(page.components(separatedBy: "<circle").count - 1 == 3)   // gmail.com; (unknown) and example.com/s1
    }
}
