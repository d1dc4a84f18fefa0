import Foundation
import Testing
@testable import AcctStatCore

@Suite struct HTMLReportTests {
    func html(_ database: String, zone: String = "UTC") throws -> String {
        let options = ReportOptions(zone: ReportTimeZone(zone)!, now: ReportSnapshotTests.now)
        let data = try ReportData.load(from: try SQLiteStore(path: database, readOnly: true), options: options, providers: try ProviderTable())
        return HTMLReportRenderer.render(Report(data: data), generatedAt: ReportSnapshotTests.now)
    }

    @Test func goldenPageForSampleLogs() throws {
        assertSnapshot(try html(ReportSnapshotTests.database), named: "report.html")
    }

    /// One file, no network: nothing loads from outside the page.
    @Test func referencesNothingOutsideItself() throws {
        let page = try html(ReportSnapshotTests.database)
        for pattern in ["src=", "href=", "url(", "@import", "<link", "<iframe", "<img", "<object"] {
            #expect(!page.lowercased().contains(pattern), "the page contains \(pattern)")
        }
        #expect(page.contains("<svg class=\"chart\""))
        #expect(page.utf8.count < 2_000_000)
    }

    @Test func logTextNeverBecomesMarkup() throws {
        let dir = TemporaryDirectory()
        dir.write("acct.csv", """
            type,timeLogged,rcpt,dsnDiag,dkim
            b,2026-11-28 10:00:00+0000,"x@<script>alert(1)</script>.test","smtp;550 5.7.30 DKIM does not pass <script>alert('diag')</script> ""quoted"" & more",
            d,2026-11-28 11:00:00+0000,y@evil.test,,"fail (<img onerror=alert(2)>) header.d=""><svg onload=alert(3)>.test header.s=<b>s1</b>"

            """)
        let db = dir.file("db.sqlite")
        try ingest([dir.file("acct.csv")], database: db)
        let page = try html(db)
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<img onerror"))
        #expect(!page.contains("<svg onload"))
        #expect(!page.contains("<b>s1"))
        #expect(page.contains("&lt;script&gt;alert(&#39;diag&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; more"))
        // Exactly one script element: the page's own sorting code.
        #expect(page.components(separatedBy: "<script").count == 2)
    }
}
